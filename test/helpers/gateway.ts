import { fileURLToPath } from 'node:url';
import { createLogger } from '@greenpoints/common';
import { createGateway, defaultSecurity, listenGateway, type SecuritySettings } from '@greenpoints/gateway';
import supertest from 'supertest';
import { secrets } from './stack.ts';

const SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

export interface ExtraGateway {
  url: string;
  /** POST a GraphQL operation to this gateway, optionally with a token. */
  graphql(query: string, variables?: Record<string, unknown>, token?: string): supertest.Test;
  close(): Promise<void>;
}

/**
 * Another gateway in this process, in front of the given subgraphs (a test stack's, or fakes): a
 * second replica, or one with settings of its own (JWKS, issuer, a dead ledger). Rate limits and
 * upstream timeouts are lifted as in startTestStack unless `security` sets them.
 */
export async function startExtraGateway(subgraphUrls: Record<string, string>, security: Partial<SecuritySettings> = {}): Promise<ExtraGateway> {
  const gateway = createGateway({
    supergraph: SUPERGRAPH,
    subgraphUrls,
    signingSecret: secrets.signingSecret,
    security: defaultSecurity({
      rateLimit: { max: 100_000, anonymousMax: 100_000, windowMs: 60_000 },
      upstreamTimeoutMs: { users: 60_000, merchants: 60_000, ledger: 60_000, 'green-impact': 60_000 },
      ...security,
    }),
    logger: createLogger((process.env['TEST_LOG_LEVEL'] as 'info' | undefined) ?? 'silent'),
  });
  const listening = await listenGateway(gateway, 0, '127.0.0.1');
  const base = listening.url.replace(/\/graphql$/, '');
  return {
    url: listening.url,
    graphql: (query, variables, token) => {
      const req = supertest(base).post('/graphql').set('content-type', 'application/json');
      if (token) req.set('authorization', `Bearer ${token}`);
      return req.send({ query, variables: variables ?? {} });
    },
    close: () => listening.close(),
  };
}
