// Proves hostile requests are refused with a 4xx and a code before they cost anything, write nothing, and leave the gateway answering.
import { DEMO_CONSUMER_ID } from '@greenpoints/common';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;
let consumer: string;
let countsBefore: Record<string, unknown> | undefined;

async function rowCounts() {
  const [row] = await t.sql`SELECT (SELECT count(*) FROM ledger.transactions)::int AS tx, (SELECT count(*) FROM ledger.postings)::int AS postings,
    (SELECT count(*) FROM users.users)::int AS users, (SELECT count(*) FROM merchants.rewards)::int AS rewards, (SELECT count(*) FROM green.impact_records)::int AS impact`;
  return row;
}

/** POSTs a raw body; returns status, parsed JSON (or null) and the raw text. */
async function raw(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(t.stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let json: { errors?: { message: string; extensions?: { code?: string } }[]; data?: unknown } | null = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

const query = (q: string, variables: Record<string, unknown> = {}, token?: string) =>
  raw(JSON.stringify({ query: q, variables }), token ? { authorization: `Bearer ${token}` } : {});

function codeOf(r: Awaited<ReturnType<typeof raw>>): string | undefined {
  return r.json?.errors?.[0]?.extensions?.code;
}

/** `fragment F0 on Query { __typename } fragment F1 on Query { ...F0 ...F0 }` … up to `levels`. */
function doublingFragments(levels: number): string {
  const parts = ['fragment F0 on Merchant { id name category }'];
  for (let i = 1; i <= levels; i++) parts.push(`fragment F${i} on Merchant { ...F${i - 1} a${i}: name ...F${i - 1} }`);
  return `query { merchants(first: 1) { edges { node { ...F${levels} } } } } ${parts.join(' ')}`;
}

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  consumer = await t.token({ sub: DEMO_CONSUMER_ID, role: 'consumer' });
  countsBefore = await rowCounts();
});
afterAll(() => t?.stop());

describe('expensive documents are refused before planning or execution', () => {
  it('refuses fragments that double at each of 20 levels (2^20 fields once expanded)', async () => {
    const r = await query(doublingFragments(20));
    expect(r.status).toBe(400);
    expect(['QUERY_TOO_COMPLEX', 'TOO_MANY_ALIASES']).toContain(codeOf(r));
  });

  it('refuses household { members { household … } } nested nine times', async () => {
    let inner = 'id';
    for (let i = 0; i < 9; i++) inner = `household { members { ${inner} } }`;
    const r = await query(`{ me { ${inner} } }`, {}, consumer);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('QUERY_TOO_DEEP');
  });

  it('refuses 10,000 aliases', async () => {
    const aliases = Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ');
    const r = await query(`{ ${aliases} }`);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(['PAYLOAD_TOO_LARGE', 'GRAPHQL_PARSE_FAILED', 'TOO_MANY_ALIASES']).toContain(codeOf(r));
  });

  it('refuses 100 aliases that fit in the body and the token budget', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: __typename`).join(' ');
    const r = await query(`{ ${aliases} }`);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('TOO_MANY_ALIASES');
  });

  it('refuses depth 100 with a 400, not a 500 from the planner', async () => {
    const r = await query(`{ ${'merchants(first: 1) { edges { node { '.repeat(1)}${'rewards { merchant { '.repeat(48)}id${' } }'.repeat(48)} } } } }`);
    expect(r.status).toBe(400);
    expect(['QUERY_TOO_DEEP', 'GRAPHQL_PARSE_FAILED']).toContain(codeOf(r));
  });

  it('refuses a fragment cycle', async () => {
    const r = await query('query { merchants(first: 1) { edges { node { ...A } } } } fragment A on Merchant { rewards { merchant { ...B } } } fragment B on Merchant { rewards { merchant { ...A } } }');
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a cost above the ceiling (connections of connections)', async () => {
    const r = await query('{ merchants(first: 100) { edges { node { products(first: 100) { edges { node { sku merchant { rewards { id } } } } } } } } }');
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('QUERY_TOO_COMPLEX');
  });

  it('counts a page size left to its variable default as that page (query($n: Int = 100))', async () => {
    const nested = (n: string) => `merchants(first: ${n}) { edges { node { id products(first: ${n}) { edges { node { sku name } } } } } }`;
    // Subgraphs page by the default: the estimate must too, whoever asks.
    const small = await query('query C($n: Int = 3) { catalog(first: $n) { edges { node { id } } } }');
    expect(small.json?.errors).toBeUndefined();
    expect((small.json?.data as { catalog: { edges: unknown[] } }).catalog.edges).toHaveLength(3);
    for (const r of [await query(`{ ${nested('100')} }`), await query(`query Q($n: Int = 100) { ${nested('$n')} }`), await query(`query Q($n: Int = 100) { ${nested('$n')} }`, { n: 100 })]) {
      expect(r.status).toBe(400);
      expect(codeOf(r)).toBe('QUERY_TOO_COMPLEX');
    }
    // A variable sent overrides its default, either way.
    expect(codeOf(await query(`query Q($n: Int = 100) { ${nested('$n')} }`, { n: 2 }))).toBeUndefined();
    const partner = await t.token({ role: 'partner', partnerId: 'partner-1' });
    expect(codeOf(await query(`query Q($n: Int = 100) { ${nested('$n')} }`, {}, partner))).toBe('QUERY_TOO_COMPLEX');
  });

  it('counts what is selected under introspection: 250 aliased copies of the schema are refused', async () => {
    const copies = Array.from({ length: 250 }, (_, i) => `a${i}: types { ...T }`).join(' ');
    const r = await query(`{ __schema { ${copies} } } fragment T on __Type { name fields { name args { name type { name } } type { name kind ofType { name } } } }`);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('TOO_MANY_ALIASES');
    expect(r.text.length).toBeLessThan(10_000);
    // GraphiQL's full introspection query still passes: its nesting is bounded by graphql's own rule.
    const full = await query(getIntrospectionQuery());
    expect(full.status).toBe(200);
    expect((full.json?.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(50);
  });

  it('refuses introspection asked beside data fields with a 400, directly or through fragments (the planner would fail with a 500)', async () => {
    for (const q of [
      '{ merchants(first: 1) { edges { node { id } } } __type(name: "Query") { name } }',
      '{ merchants(first: 1) { edges { node { id } } } ...F } fragment F on Query { __schema { queryType { name } } }',
      '{ ... on Query { __type(name: "Merchant") { name } } catalog(first: 1) { edges { node { id } } } }',
    ]) {
      const r = await query(q);
      expect(r.status).toBe(400);
      expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(r.json?.errors?.[0]?.message).toMatch(/introspection/i);
    }
    // __typename beside data is no introspection of the schema, and each half alone is served.
    expect(codeOf(await query('{ __typename merchants(first: 1) { edges { node { id } } } }'))).toBeUndefined();
    expect(codeOf(await query('{ __typename ...F } fragment F on Query { __type(name: "Query") { name } }'))).toBeUndefined();
  });

  it('refuses too many directives', async () => {
    const r = await query(`{ __typename ${'@include(if: true) '.repeat(50)} }`);
    expect(r.status).toBe(400);
    expect(['TOO_MANY_DIRECTIVES', 'GRAPHQL_VALIDATION_FAILED']).toContain(codeOf(r));
  });
});

describe('malformed and oversized requests', () => {
  it('answers malformed JSON with 400 BAD_REQUEST and never echoes the body', async () => {
    const r = await raw('{"query": "{ __typename }", "secret-marker-123"');
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_REQUEST');
    expect(r.text).not.toContain('secret-marker-123');
  });

  it('refuses a 10 MB body with 413', async () => {
    const r = await raw(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(10 * 1024 * 1024) } }));
    expect(r.status).toBe(413);
    expect(codeOf(r)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses 1,000 batched operations', async () => {
    const r = await raw(JSON.stringify(Array.from({ length: 1_000 }, () => ({ query: '{ __typename }' }))));
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_REQUEST');
  });

  it('refuses a body that is not a JSON object, and fields of the wrong type', async () => {
    for (const body of ['"just a string"', '42', 'null', '{"query": 42}', '{"query": "{ __typename }", "variables": [1]}']) {
      const r = await raw(body);
      expect(r.status).toBe(400);
      expect(codeOf(r)).toBe('BAD_REQUEST');
    }
  });

  it('answers wrong variable types with BAD_USER_INPUT', async () => {
    const r = await query('query ($n: Int) { catalog(first: $n) { edges { node { id } } } }', { n: 'ten' });
    expect(r.status).toBeLessThan(500);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });

  it('answers first: 1000000 with BAD_USER_INPUT from the subgraph, not a cost refusal', async () => {
    const r = await query('{ catalog(first: 1000000) { edges { node { id } } } }');
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });

  it('passes unicode and SQL-looking text through as data, never as SQL', async () => {
    for (const search of ["'; DROP TABLE users.users; --", '西瓜 🍉', 'Robert\'); DELETE FROM ledger.postings;--', '%_%', '\\\\']) {
      const r = await query('query ($s: String) { catalog(filter: { search: $s }, first: 5) { edges { node { id title } } } }', { s: search });
      expect(r.status).toBe(200);
      expect(r.json?.errors).toBeUndefined();
    }
  });
});

describe('after all of the above', () => {
  it('still answers and has written nothing', async () => {
    const r = await query('{ me { id } }', {}, consumer);
    expect(r.status).toBe(200);
    expect(r.json?.data).toEqual({ me: { id: DEMO_CONSUMER_ID } });
    expect(await rowCounts()).toEqual(countsBefore);
  });
});
