// Proves that with an OTLP exporter configured, one request yields spans from the gateway and from the subgraphs it calls, in one trace that continues the caller's.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_CONSUMER_ID } from '@greenpoints/common';
import { startTracing, type Tracing } from '@greenpoints/common/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  status?: { code?: number };
  attributes: Record<string, unknown>;
}
type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; arrayValue?: { values: OtlpValue[] } };
type OtlpAttribute = { key: string; value: OtlpValue };
interface OtlpRequest {
  resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: (Omit<Span, 'service' | 'attributes'> & { attributes?: OtlpAttribute[] })[] }[] }[];
}

const plain = (v: OtlpValue): unknown => v.stringValue ?? v.intValue ?? v.boolValue ?? v.arrayValue?.values.map(plain);
const attributesOf = (list: OtlpAttribute[] = []) => Object.fromEntries(list.map((a) => [a.key, plain(a.value)]));

/** A tiny OTLP/HTTP receiver (JSON bodies), as a collector would be: it keeps every span posted. */
const received: Span[] = [];
let receiver: Server;
let tracing: Tracing;
let t: TestStack;
let consumer: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      expect(req.headers['content-type']).toContain('application/json');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest;
      for (const rs of body.resourceSpans) {
        const service = String(attributesOf(rs.resource.attributes)['service.name']);
        for (const ss of rs.scopeSpans) for (const s of ss.spans) received.push({ ...s, service, attributes: attributesOf(s.attributes) });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  tracing = startTracing({ url: `http://127.0.0.1:${port}/v1/traces`, serviceName: 'greenpoints', exportDelayMs: 50 });
  t = await startTestStack({ relay: false, tracing: true });
  consumer = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
});
afterAll(async () => {
  await t?.stop();
  await tracing?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** Spans of one trace, once the gateway's and the named subgraphs' have all arrived. */
async function traceOf(traceId: string, services: string[]): Promise<Span[]> {
  for (let i = 0; i < 50; i++) {
    await tracing.flush();
    const spans = received.filter((s) => s.traceId === traceId);
    if (services.every((service) => spans.some((s) => s.service === service))) return spans;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`trace ${traceId} lacks spans of ${services.join(', ')}: has ${[...new Set(received.filter((s) => s.traceId === traceId).map((s) => s.service))].join(', ')}`);
}

describe('tracing', () => {
  it('continues the caller’s trace through the gateway into each subgraph it calls', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await t
      .graphql('query TraceProbe { me { id displayName points { balance } } }', {}, consumer)
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .expect(200);
    expect(res.body.errors).toBeUndefined();

    const spans = await traceOf(traceId, ['greenpoints-gateway', 'greenpoints-users', 'greenpoints-ledger']);
    const gateway = spans.filter((s) => s.service === 'greenpoints-gateway');
    // The gateway's request span is the caller's child; the operation and a call per subgraph follow.
    expect(gateway.find((s) => s.parentSpanId === '00f067aa0ba902b7')).toBeDefined();
    expect(gateway.some((s) => s.attributes['graphql.operation.name'] === 'TraceProbe')).toBe(true);
    for (const subgraph of ['users', 'ledger']) {
      const server = spans.find((s) => s.service === `greenpoints-${subgraph}`)!;
      expect(server.kind, subgraph).toBe(2); // SERVER
      expect(server.name).toBe('query');
      expect(server.attributes['greenpoints.subgraph']).toBe(subgraph);
      // Its parent is the gateway's span for the HTTP call that reached it.
      const parent = gateway.find((s) => s.spanId === server.parentSpanId);
      expect(parent, `${subgraph}'s parent`).toBeDefined();
    }
  });

  it('starts a trace when the caller sends none, and marks a refused operation failed in its subgraph, with its code', async () => {
    const res = await t.graphql(
      'mutation Refused($to: ID!, $key: ID!) { transferPoints(toUserId: $to, amount: 1, idempotencyKey: $key) { id } }',
      { to: randomUUID(), key: randomUUID() },
      consumer,
    );
    const code = res.body.errors?.[0]?.extensions?.code as string;
    expect(code).toMatch(/^[A-Z_]+$/);
    let root: Span | undefined;
    for (let i = 0; i < 50 && !root; i++) {
      await tracing.flush();
      root = received.find((s) => s.service === 'greenpoints-gateway' && s.attributes['graphql.operation.name'] === 'Refused');
      if (!root) await new Promise((r) => setTimeout(r, 100));
    }
    expect(root!.traceId).toMatch(/^[0-9a-f]{32}$/);
    const ledger = (await traceOf(root!.traceId, ['greenpoints-ledger'])).find((s) => s.service === 'greenpoints-ledger')!;
    expect(ledger.name).toBe('mutation');
    expect(ledger.status?.code).toBe(2); // ERROR
    expect(ledger.attributes['graphql.error.codes']).toContain(code);
  });
});
