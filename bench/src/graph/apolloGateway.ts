/**
 * Apollo Gateway (`@apollo/gateway` in `@apollo/server`, a bench-only dependency) on the same
 * supergraph and subgraphs, in its own process: the peer our gateway is compared with. It verifies
 * the same JWTs and signs each subgraph request as our gateway does (common/src/signing.ts), since
 * the subgraphs serve nothing unsigned; it enforces none of our other security (auth directives,
 * limits, quotas, contracts). Reads BENCH_SUBGRAPH_URLS (JSON) and prints `READY <url>`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ANONYMOUS, DEV_SIGNING_SECRET, encodePrincipal, PRINCIPAL_HEADER, signRequest, type Principal } from '@greenpoints/common';
import { defaultSecurity } from '@greenpoints/gateway';
import { createTokenVerifier } from '@greenpoints/gateway/plugins/useJwtPrincipal';

interface Context {
  principal: Principal;
}

type Fetcher = (url: string, init?: { headers?: Record<string, string>; body?: string }) => Promise<unknown>;

/**
 * Signs over the exact body sent: the principal travels as a header from `willSendRequest` to the
 * data source's own fetcher, which sees the serialized body and adds the subgraph and signature,
 * so Apollo's HTTP client (make-fetch-happen, keep-alive) stays the one measured.
 */
class SignedDataSource extends RemoteGraphQLDataSource<Context> {
  private readonly subgraph: string;

  constructor(subgraph: string, url: string) {
    super({ url });
    this.subgraph = subgraph;
    const send = this.fetcher as unknown as Fetcher;
    const signed: Fetcher = (target, init = {}) => {
      const headers = { ...init.headers };
      const principal = headers[PRINCIPAL_HEADER] ?? encodePrincipal(ANONYMOUS);
      const subgraph = this.subgraph;
      return send(target, { ...init, headers: { ...headers, ...signRequest({ principal, subgraph, body: init.body ?? '' }, DEV_SIGNING_SECRET) } });
    };
    this.fetcher = signed as unknown as typeof this.fetcher;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>): void {
    request.http?.headers.set(PRINCIPAL_HEADER, encodePrincipal(context.principal ?? ANONYMOUS));
  }
}

const subgraphUrls = JSON.parse(process.env['BENCH_SUBGRAPH_URLS'] ?? '{}') as Record<string, string>;
// Apollo Gateway refuses a supergraph whose `for: SECURITY` features (@authenticated,
// @requiresScopes) it cannot enforce; only Apollo's router does. Declared as plain features, they
// load and are ignored: this gateway enforces none of them, which the comparison states.
const supergraphSdl = readFileSync(fileURLToPath(new URL('../../../schema/supergraph.graphql', import.meta.url)), 'utf8').replaceAll(', for: SECURITY)', ')');
const verify = createTokenVerifier(defaultSecurity().jwt);

const gateway = new ApolloGateway({
  supergraphSdl,
  buildService: ({ name, url }) => new SignedDataSource(name, subgraphUrls[name] ?? url ?? ''),
});
const server = new ApolloServer<Context>({ gateway, introspection: false });
const { url } = await startStandaloneServer(server, {
  listen: { port: 0, host: '127.0.0.1' },
  context: async ({ req }) => ({ principal: await verify(req.headers.authorization ?? null) }),
});
console.log(`READY ${url.replace(/\/$/, '')}/graphql`);
process.once('SIGTERM', () => {
  server.stop().finally(() => process.exit(0));
});
