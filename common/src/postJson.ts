import http from 'node:http';
import https from 'node:https';

/** Idle connections are closed after this long: before the subgraphs' own 65 s keep-alive ends. */
const IDLE_SOCKET_MS = 30_000;
/** An answer larger than this is refused: a subgraph's answer to one of these calls is a few hundred bytes. */
const MAX_ANSWER_BYTES = 1024 * 1024;

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64, timeout: IDLE_SOCKET_MS }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64, timeout: IDLE_SOCKET_MS }),
};

export interface JsonAnswer {
  status: number;
  body: unknown;
}

export class PostJsonError extends Error {
  constructor(
    message: string,
    readonly code: 'TIMEOUT' | 'TOO_LARGE' | 'NOT_JSON' | 'NETWORK',
  ) {
    super(message);
  }
}

/**
 * POSTs a JSON body and reads a JSON answer over a kept-alive connection: the subgraphs' calls to
 * one another (the merchants subgraph asking the ledger for a balance, the ledger asking merchants
 * for stock). node:http rather than `fetch`: Node's fetch builds web streams around every request
 * and answer, and one small call per catalogue request cost the merchants subgraph a sixth of its
 * CPU on the home query.
 *
 * A request that meets a connection the other side has just closed (`ECONNRESET` on a reused
 * socket, so the request was not read) is sent once more on a new one; the calls made with this
 * are reads or idempotent by key. Times out after `timeoutMs` in all.
 */
export async function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<JsonAnswer> {
  const deadline = Date.now() + timeoutMs;
  try {
    return await attempt(url, headers, body, timeoutMs);
  } catch (err) {
    const stale = err instanceof StaleConnection;
    if (!stale || Date.now() >= deadline) throw stale ? new PostJsonError(err.message, 'NETWORK') : err;
    return attempt(url, headers, body, deadline - Date.now());
  }
}

class StaleConnection extends Error {}

function attempt(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<JsonAnswer> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const agent = agents[target.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new PostJsonError(`Unsupported protocol ${target.protocol}`, 'NETWORK'));
  return new Promise<JsonAnswer>((resolve, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const req = client.request(target, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers, 'content-length': String(payload.length) },
    });
    const timer = setTimeout(() => req.destroy(new PostJsonError(`No answer from ${target.host} within ${timeoutMs} ms`, 'TIMEOUT')), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    req.once('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof PostJsonError) return fail(err);
      fail(req.reusedSocket && err.code === 'ECONNRESET' ? new StaleConnection(err.message) : new PostJsonError(err.message, 'NETWORK'));
    });
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          req.destroy(new PostJsonError(`The answer from ${target.host} is over ${MAX_ANSWER_BYTES} bytes`, 'TOO_LARGE'));
          return;
        }
        chunks.push(chunk);
      });
      res.once('end', () => {
        clearTimeout(timer);
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
        } catch {
          reject(new PostJsonError(`The answer from ${target.host} (HTTP ${res.statusCode}) is not JSON`, 'NOT_JSON'));
        }
      });
      res.once('error', (err) => fail(err instanceof PostJsonError ? err : new PostJsonError(err.message, 'NETWORK')));
    });
    req.end(payload);
  });
}
