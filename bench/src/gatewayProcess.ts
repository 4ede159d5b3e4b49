/**
 * One gateway in its own process, so its CPU can be read from /proc apart from the subgraphs'.
 *   --mode full     createGateway as served: every security plugin on
 *   --mode minimal  the same runtime and planner with only what subgraphs need to answer at all
 *                   (the verified principal and the upstream signature): "security off"
 * Reads BENCH_SUBGRAPH_URLS (JSON) and prints `READY <url>` on stdout.
 */
import { createLogger, DEV_SIGNING_SECRET } from '@greenpoints/common';
import { createGateway, defaultSecurity, listenGateway } from '@greenpoints/gateway';
import { createTokenVerifier, useJwtPrincipal } from '@greenpoints/gateway/plugins/useJwtPrincipal';
import { useSubgraphSigning } from '@greenpoints/gateway/plugins/useSubgraphSigning';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { fileURLToPath } from 'node:url';

const mode = process.argv.includes('minimal') ? 'minimal' : 'full';
const subgraphUrls = JSON.parse(process.env['BENCH_SUBGRAPH_URLS'] ?? '{}') as Record<string, string>;
const supergraph = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
const logger = createLogger('error');
// The load comes from one address and 300 principals: lift the rate limit, keep everything else.
const security = defaultSecurity({ rateLimit: { max: 1e9, anonymousMax: 1e9, windowMs: 60_000 } });

const gateway =
  mode === 'full'
    ? createGateway({ supergraph, subgraphUrls, signingSecret: DEV_SIGNING_SECRET, security, logger })
    : createGatewayRuntime({
        supergraph,
        unifiedGraphHandler,
        transportEntries: Object.fromEntries(Object.entries(subgraphUrls).map(([name, location]) => [name, { location }])),
        transports: { http: import('@graphql-mesh/transport-http') },
        plugins: () => [useJwtPrincipal(createTokenVerifier(security.jwt)), useSubgraphSigning(DEV_SIGNING_SECRET)],
        landingPage: false,
        logging: false,
      });
const listening = await listenGateway(gateway as Parameters<typeof listenGateway>[0], 0, '127.0.0.1');
console.log(`READY ${listening.url}`);
process.once('SIGTERM', () => {
  listening.close().finally(() => process.exit(0));
});
