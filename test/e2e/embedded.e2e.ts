// Proves the embedded path: the whole graph on an in-memory PGlite database, migrated and seeded, answers through the gateway.
import { createLogger, DEMO_CONSUMER_ID, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { signToken } from '@greenpoints/gateway';
import { startStack, type RunningStack } from '@greenpoints/stack';
import supertest from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { secrets } from '../helpers/stack.ts';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({
    db: { pgliteDataDir: 'memory://' },
    ...secrets,
    logger: createLogger('silent'),
    migrate: true,
    seedIfEmpty: true,
    seedUsers: 40,
    gatewayPort: 0,
    subgraphBasePort: 0,
  });
});
afterAll(() => stack?.stop());

it('migrates, seeds, serves a cross-subgraph query and records a purchase on PGlite', async () => {
  expect(stack.db.driver).toBe('pglite');
  expect(stack.seeded?.users).toBe(40);
  const base = stack.gatewayUrl.replace(/\/graphql$/, '');
  const consumer = await signToken({ sub: DEMO_CONSUMER_ID, role: 'consumer' }, secrets.jwtSecret);
  const res = await supertest(base)
    .post('/graphql')
    .set('authorization', `Bearer ${consumer}`)
    .send({ query: '{ me { displayName points { balance } greenImpact { totals { records } } } catalog(first: 2) { edges { node { title } } } }' })
    .expect(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.me.points.balance).toBeGreaterThan(0);
  expect(res.body.data.me.greenImpact.totals.records).toBeGreaterThan(0);
  expect(res.body.data.catalog.edges).toHaveLength(2);

  const merchant = await signToken({ role: 'merchant', merchantId: DEMO_MERCHANT_ID }, secrets.jwtSecret);
  const mutation = { query: 'mutation { recordPurchase(input: { userId: "' + DEMO_CONSUMER_ID + '", merchantId: "' + DEMO_MERCHANT_ID + '", amountMinor: 9900 }, idempotencyKey: "embedded-1") { id points } }' };
  const first = await supertest(base).post('/graphql').set('authorization', `Bearer ${merchant}`).send(mutation).expect(200);
  const second = await supertest(base).post('/graphql').set('authorization', `Bearer ${merchant}`).send(mutation).expect(200);
  expect(first.body.errors).toBeUndefined();
  expect(second.body.data.recordPurchase).toEqual(first.body.data.recordPurchase);

  const health = await supertest(base).get('/healthcheck');
  expect(health.status).toBe(200);
});
