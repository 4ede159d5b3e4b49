// Proves RESPONSE_COMPRESSION gzips the gateway's answers for clients that accept gzip, leaves the others plain, and that the gzipped answer is the same answer.
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;
let token: string;
beforeAll(async () => {
  t = await startTestStack({ relay: false, security: { responseCompression: true } });
  token = await t.token({ role: 'partner', partnerId: 'ctrip' });
});
afterAll(() => t?.stop());

const QUERY = '{ catalog(first: 50) { edges { node { id title currentPointsCost merchant { id name } } } } }';

/** A raw POST (no client-side decoding), so the bytes on the wire are what is checked. */
function post(acceptEncoding: string | null): Promise<{ status: number; encoding: string | undefined; body: Buffer }> {
  const url = new URL(t.stack.gatewayUrl);
  const body = JSON.stringify({ query: QUERY });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('response compression', () => {
  it('gzips an answer for a client that accepts gzip, and it is the plain answer compressed', async () => {
    const [gz, plain] = await Promise.all([post('gzip'), post(null)]);
    expect(gz.status).toBe(200);
    expect(gz.encoding).toBe('gzip');
    expect(plain.encoding).toBeUndefined();
    const answer = JSON.parse(gunzipSync(gz.body).toString('utf8')) as { data?: { catalog: { edges: unknown[] } }; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.catalog.edges.length).toBeGreaterThan(0);
    // The same data; only the partner's remaining quota moved between the two requests.
    expect(answer.data).toEqual((JSON.parse(plain.body.toString('utf8')) as { data: unknown }).data);
    expect(gz.body.length).toBeLessThan(plain.body.length / 2);
  });
});
