import { createLogger, DEV_JWT_SECRET, DEV_PII_KEY, DEV_SIGNING_SECRET } from '@greenpoints/common';
import { defaultSecurity, signToken, type SecuritySettings, type TokenClaims } from '@greenpoints/gateway';
import { startStack, type RunningStack } from '@greenpoints/stack';
import postgres from 'postgres';
import supertest from 'supertest';
import { inject } from 'vitest';
import { adminClient, uniqueName, urlFor } from './db.ts';

export interface TestStack {
  stack: RunningStack;
  /** A direct connection to this file's database, for asserting what was (not) written. */
  sql: postgres.Sql;
  /** This file's database, as the administrator (the subgraphs log in as their own roles). */
  databaseUrl: string;
  /** POST a GraphQL operation to the gateway, optionally with a token. */
  graphql(query: string, variables?: Record<string, unknown>, token?: string): supertest.Test;
  token(claims: TokenClaims): Promise<string>;
  stop(): Promise<void>;
}

export const secrets = { jwtSecret: DEV_JWT_SECRET, signingSecret: DEV_SIGNING_SECRET, piiKey: DEV_PII_KEY };

/** A fresh copy of the seeded template database and the whole graph in-process on free ports. */
export async function startTestStack(
  options: { relay?: boolean; security?: Partial<SecuritySettings>; countStatements?: boolean; tracing?: boolean; analyticsCacheTtlMs?: number } = {},
): Promise<TestStack> {
  const database = uniqueName('gp_test');
  const admin = adminClient();
  await admin.unsafe(`CREATE DATABASE ${database} TEMPLATE ${inject('templateDb')}`);
  const url = urlFor(database);
  const stack = await startStack({
    // Two pools per subgraph as in production (db/src/client.ts `autocommitPoolMax`), smaller.
    db: { databaseUrl: url, poolMax: 5, autocommitPoolMax: 2, ...(options.countStatements ? { countStatements: true } : {}) },
    signingSecret: secrets.signingSecret,
    piiKey: secrets.piiKey,
    // Many tests send many requests from one address on two busy cores: rate limits and upstream
    // timeouts are lifted unless a test sets its own.
    security: defaultSecurity({
      rateLimit: { max: 100_000, anonymousMax: 100_000, windowMs: 60_000 },
      upstreamTimeoutMs: { users: 60_000, merchants: 60_000, ledger: 60_000, 'green-impact': 60_000 },
      ...options.security,
    }),
    logger: createLogger((process.env['TEST_LOG_LEVEL'] as 'info' | undefined) ?? 'silent'),
    gatewayPort: 0,
    subgraphBasePort: 0,
    relay: options.relay ?? true,
    tracing: options.tracing ?? false,
    // Tests write and then read the analysts' figures: read fresh unless a test shares them.
    analyticsCacheTtlMs: options.analyticsCacheTtlMs ?? 0,
  });
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const base = stack.gatewayUrl.replace(/\/graphql$/, '');
  return {
    stack,
    sql,
    databaseUrl: url,
    graphql: (query, variables, token) => {
      const req = supertest(base).post('/graphql').set('content-type', 'application/json');
      if (token) req.set('authorization', `Bearer ${token}`);
      return req.send({ query, variables: variables ?? {} });
    },
    token: (claims) => signToken(claims, secrets.jwtSecret),
    stop: async () => {
      await stack.stop();
      await sql.end();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}
