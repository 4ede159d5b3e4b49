// Proves the gateway serves Prometheus metrics (requests, errors by code, latency by operation, subgraph latency, event lag), to scrapers holding the token when one is set.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEMO_CONSUMER_ID, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { DEFAULT_DELIVERY, drain, openConsumer } from '@greenpoints/events';
import { openRelay } from '@greenpoints/events/relay/index';
import { greenImpactConsumer } from '@greenpoints/green-impact/consumers/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const TOKEN = 'metrics-scraper-token-0123456789';
const silent = { info: () => {}, warn: () => {}, error: () => {} };
let t: TestStack;
let metricsUrl: string;

beforeAll(async () => {
  // No relay or consumers run in this process: the event-lag test moves events itself, step by step.
  t = await startTestStack({ relay: false, security: { metricsToken: TOKEN } });
  metricsUrl = t.stack.gatewayUrl.replace(/\/graphql$/, '/metrics');
});
afterAll(() => t?.stop());

async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one series, matched by its name and labels (in any order); undefined when absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('/metrics', () => {
  it('counts requests, errors and subgraph latency by subgraph', async () => {
    const token = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    await t.graphql('{ me { id displayName points { balance } } }', {}, token).expect(200);
    await t.graphql('{ me { nope } }', {}, token);
    const text = await scrape();
    expect(text).toMatch(/graphql_gateway_subgraph_execute_duration_bucket\{[^}]*subgraphName="ledger"/);
    expect(text).toMatch(/graphql_gateway_subgraph_execute_duration_bucket\{[^}]*subgraphName="users"/);
    expect(text).toMatch(/graphql_yoga_http_duration_count\{[^}]*\} [1-9]/);
    expect(text).toMatch(/graphql_envelop_error_result\{[^}]*\} [1-9]/);
  });

  it('counts errors by the code clients read', async () => {
    const consumer = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    const before = await scrape();
    const forbidden = await t.graphql('{ analytics { minGroupSize } }', {}, consumer);
    expect(forbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const bad = await t.graphql('query Page($n: Int) { merchants(first: $n) { edges { node { id } } } }', { n: 'many' }, consumer);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const after = await scrape();
    for (const code of ['FORBIDDEN', 'BAD_USER_INPUT']) {
      const was = value(before, 'greenpoints_graphql_errors_total', { code }) ?? 0;
      expect(value(after, 'greenpoints_graphql_errors_total', { code }), code).toBe(was + 1);
    }
  });

  it('measures latency by operation name, for trusted documents and ad-hoc operations alike, with no URL label', async () => {
    const consumer = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    const manifest = JSON.parse(readFileSync(new URL('../../gateway/persisted-documents.json', import.meta.url), 'utf8')) as { files: Record<string, string> };
    const home = manifest.files['consumer-app/Home.graphql']!;
    const trusted = await fetch(t.stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${consumer}` },
      body: JSON.stringify({ documentId: home }),
    });
    expect(((await trusted.json()) as { errors?: unknown }).errors).toBeUndefined();
    await t.graphql('query MetricsProbe { me { id } }', {}, consumer).expect(200);
    const text = await scrape();
    for (const operationName of ['Home', 'MetricsProbe']) {
      expect(value(text, 'graphql_yoga_http_duration_count', { operationName, operationType: 'query', statusCode: '200' }), operationName).toBeGreaterThanOrEqual(1);
      expect(value(text, 'graphql_envelop_phase_execute_count', { operationName }), operationName).toBeGreaterThanOrEqual(1);
      expect(value(text, 'graphql_envelop_request', { operationName }), operationName).toBeGreaterThanOrEqual(1);
    }
    expect(text).not.toMatch(/graphql_yoga_http_duration_bucket\{[^}]*url=/);
    // The other metrics carry no operation name at all, so a client cannot multiply their series.
    expect(text).not.toMatch(/graphql_gateway_subgraph_execute_duration_count\{[^}]*operationName=/);
    expect(value(text, 'graphql_gateway_subgraph_execute_duration_count', { subgraphName: 'users' })).toBeGreaterThanOrEqual(1);
  });

  it('reports event lag: events waiting for the relay, then for a consumer, then none', async () => {
    const merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
    const [u] = await t.sql`SELECT id FROM users.users WHERE status = 'ACTIVE' ORDER BY id LIMIT 1`;
    const started = Date.now();
    const res = await t.graphql(
      'mutation ($input: PurchaseInput!, $key: ID!) { recordPurchase(input: $input, idempotencyKey: $key) { id } }',
      { input: { userId: u!['id'], merchantId: DEMO_MERCHANT_ID, amountMinor: 5_000 }, key: randomUUID() },
      merchant,
    );
    expect(res.body.errors).toBeUndefined();
    const elapsed = () => (Date.now() - started) / 1000 + 0.2;

    // 1. PurchaseRecorded waits in the ledger's outbox: the relay is behind.
    let text = await scrape();
    for (const subgraph of ['users', 'merchants', 'ledger', 'green-impact']) expect(value(text, 'greenpoints_events_status_up', { subgraph }), subgraph).toBe(1);
    expect(value(text, 'greenpoints_outbox_unpublished', { stream: 'ledger' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'greenpoints_outbox_lag_seconds', { stream: 'ledger' })).toBeLessThanOrEqual(elapsed());
    expect(value(text, 'greenpoints_event_lag_seconds', { consumer: 'green-impact' })).toBe(0);

    // 2. The relay hands it on: it waits in green-impact's inbox, and that consumer is behind.
    const relay = await openRelay(t.stack.db.db, DEFAULT_DELIVERY);
    await drain(relay);
    await relay.close();
    text = await scrape();
    expect(value(text, 'greenpoints_outbox_unpublished', { stream: 'ledger' })).toBe(0);
    expect(value(text, 'greenpoints_outbox_lag_seconds', { stream: 'ledger' })).toBe(0);
    expect(value(text, 'greenpoints_event_pending', { consumer: 'green-impact' })).toBeGreaterThanOrEqual(1);
    const lag = value(text, 'greenpoints_event_lag_seconds', { consumer: 'green-impact' })!;
    expect(lag).toBeGreaterThan(0);
    expect(lag).toBeLessThanOrEqual(elapsed());
    expect(value(text, 'greenpoints_event_dead_letters', { consumer: 'green-impact' })).toBe(0);

    // 3. The consumer applies it: caught up.
    const consumer = await openConsumer(t.stack.subgraphDbs.green.db, greenImpactConsumer, DEFAULT_DELIVERY, silent);
    await drain(consumer);
    await consumer.close();
    text = await scrape();
    expect(value(text, 'greenpoints_event_pending', { consumer: 'green-impact' })).toBe(0);
    expect(value(text, 'greenpoints_event_lag_seconds', { consumer: 'green-impact' })).toBe(0);
  });

  it('refuses a scrape without the token', async () => {
    expect((await fetch(metricsUrl)).status).toBe(401);
    expect((await fetch(metricsUrl, { headers: { authorization: 'Bearer wrong-token-wrong-token-00' } })).status).toBe(401);
  });
});
