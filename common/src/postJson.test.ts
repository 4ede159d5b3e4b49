// Proves postJson answers many concurrent calls each with its own answer over kept-alive connections, and fails with a typed error on a timeout, an oversized or non-JSON answer, and a refused connection, sending again once on a new connection when a kept-alive one is reset.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson, PostJsonError } from './postJson.ts';

let server: Server | undefined;
const sockets = new Set<Socket>();

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, connections: () => connections };
}

afterEach(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const echo = (req: IncomingMessage, res: ServerResponse, body: string) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ got: JSON.parse(body), who: req.headers['x-who'] }));

describe('postJson', () => {
  it('answers 200 concurrent callers each with their own answer, over a few kept-alive connections', async () => {
    const { url, connections } = await serve(echo);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => postJson(url, { 'x-who': `caller-${i}` }, JSON.stringify({ n: i }), 5_000)));
    answers.forEach((a, i) => expect(a).toEqual({ status: 200, body: { got: { n: i }, who: `caller-${i}` } }));
    expect(connections()).toBeLessThanOrEqual(64);
    const before = connections();
    for (let i = 0; i < 20; i++) await postJson(url, {}, '{}', 5_000);
    expect(connections()).toBe(before);
  });

  it('gives up after its timeout with TIMEOUT', async () => {
    const { url } = await serve(() => {});
    await expect(postJson(url, {}, '{}', 100)).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('refuses an answer over 1 MB with TOO_LARGE and one that is not JSON with NOT_JSON', async () => {
    const big = await serve((_req, res) => res.writeHead(200).end('x'.repeat(2 * 1024 * 1024)));
    await expect(postJson(big.url, {}, '{}', 5_000)).rejects.toMatchObject({ code: 'TOO_LARGE' });
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    for (const s of sockets) s.destroy();
    const html = await serve((_req, res) => res.writeHead(502).end('<html>bad gateway</html>'));
    await expect(postJson(html.url, {}, '{}', 5_000)).rejects.toMatchObject({ code: 'NOT_JSON' });
  });

  it('fails with NETWORK when nobody listens', async () => {
    const { url } = await serve(echo);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    for (const s of sockets) s.destroy();
    server = undefined;
    const error = await postJson(url, {}, '{}', 2_000).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PostJsonError);
    expect((error as PostJsonError).code).toBe('NETWORK');
  });

  it('sends again, once, on a new connection when a kept-alive one is reset under it', async () => {
    const served = new WeakMap<Socket, number>();
    let calls = 0;
    const { url, connections } = await serve((req, res, body) => {
      calls += 1;
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      // The second request on a connection meets a reset, as when the server closes an idle connection the client reuses.
      if (n === 2) req.socket.destroy();
      else echo(req, res, body);
    });
    await postJson(url, {}, JSON.stringify({ n: 1 }), 5_000);
    const again = await postJson(url, {}, JSON.stringify({ n: 2 }), 5_000);
    expect(again.body).toEqual({ got: { n: 2 } });
    expect(calls).toBe(3);
    expect(connections()).toBe(2);
  });

  it('does not send a third time: a second reset is the caller\'s NETWORK error', async () => {
    const { url } = await serve((req, res, body) => (JSON.parse(body).n === 1 ? echo(req, res, body) : req.socket.destroy()));
    await postJson(url, {}, JSON.stringify({ n: 1 }), 5_000);
    await expect(postJson(url, {}, JSON.stringify({ n: 2 }), 5_000)).rejects.toMatchObject({ code: 'NETWORK' });
  });
});
