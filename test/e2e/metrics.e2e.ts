// Proves the gateway serves Prometheus metrics (requests, errors, subgraph latency by subgraph), to scrapers holding the token when one is set.
import { DEMO_CONSUMER_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const TOKEN = 'metrics-scraper-token-0123456789';
let t: TestStack;
let metricsUrl: string;

beforeAll(async () => {
  t = await startTestStack({ relay: false, security: { metricsToken: TOKEN } });
  metricsUrl = t.stack.gatewayUrl.replace(/\/graphql$/, '/metrics');
});
afterAll(() => t?.stop());

describe('/metrics', () => {
  it('counts requests, errors and subgraph latency by subgraph', async () => {
    const token = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    await t.graphql('{ me { id displayName points { balance } } }', {}, token).expect(200);
    await t.graphql('{ me { nope } }', {}, token);
    const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/graphql_gateway_subgraph_execute_duration_bucket\{[^}]*subgraphName="ledger"/);
    expect(text).toMatch(/graphql_gateway_subgraph_execute_duration_bucket\{[^}]*subgraphName="users"/);
    expect(text).toMatch(/graphql_yoga_http_duration_count\{[^}]*\} [1-9]/);
    expect(text).toMatch(/graphql_envelop_error_result\{[^}]*\} [1-9]/);
  });

  it('refuses a scrape without the token', async () => {
    expect((await fetch(metricsUrl)).status).toBe(401);
    expect((await fetch(metricsUrl, { headers: { authorization: 'Bearer wrong-token-wrong-token-00' } })).status).toBe(401);
  });
});
