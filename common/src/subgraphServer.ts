import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
import { createErrorFormatter } from './errors.ts';
import { useCleanStrings } from './useCleanStrings.ts';
import { serviceTracer, useOperationSpan } from './telemetry.ts';
import type { Logger } from './logger.ts';
import type { Principal } from './principal.ts';
import { memoryNonceStore, PRINCIPAL_HEADER, SIGNATURE_HEADER, SUBGRAPH_HEADER, verifyRequest, type NonceStore } from './signing.ts';

/** The base every subgraph's per-request context extends. */
export interface BaseContext {
  principal: Principal;
  requestId: string;
  logger: Logger;
}

/** What every subgraph's `createServer` is given besides its own dependencies. */
export interface ServerDeps {
  logger: Logger;
  /** The HMAC secret shared with the gateway; requests without a valid signature are refused. */
  signingSecret: string;
  /** Where seen nonces are kept (Redis when replicas share them); one process's memory by default. */
  nonces?: NonceStore;
}

/** Reads a subgraph's `schema.graphql` (next to its server.ts). */
export function loadTypeDefs(url: URL): DocumentNode {
  return parse(readFileSync(url, 'utf8'));
}

/**
 * A plain GET route of a subgraph (an image, say), reached only through the gateway: it signs
 * `GET <path>?<query>` as the request's body, and the route sees the request only if that verifies.
 */
export type SubgraphRoute = (url: URL, res: ServerResponse) => Promise<void>;

export interface SubgraphServerOptions<Ctx extends BaseContext> extends ServerDeps {
  name: string;
  typeDefs: DocumentNode;
  /** Resolver map; typed loosely because Apollo's resolver map type cannot describe entity resolvers. */
  resolvers: object;
  /** Builds the per-request context (DataLoaders, repositories) for a verified principal. */
  context: (base: BaseContext) => Ctx;
  /** GET routes besides /graphql, by path. */
  routes?: Record<string, SubgraphRoute>;
}

export interface SubgraphServer {
  /** A node request handler: POST /graphql, GET /health. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** What the gateway signs for a GET route: the method, path and query, as a body would be. */
export const routeBody = (url: URL) => `GET ${url.pathname}${url.search}`;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function errorBody(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An Apollo subgraph behind a small node:http handler. It refuses any request the gateway did not
 * sign, so nobody reaches a subgraph around the gateway, and it never listens by itself.
 */
export function createSubgraphServer<Ctx extends BaseContext>(options: SubgraphServerOptions<Ctx>): SubgraphServer {
  const logger = options.logger.child({ service: options.name });
  const nonces = options.nonces ?? memoryNonceStore();
  const apollo = new ApolloServer<Ctx>({
    schema: buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers as never }),
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(logger),
    // Inline traces are for Apollo's hosted reporting, which this gateway does not use. Cache-control
    // hints are not used either (answers are per principal, never cached by a CDN), and the plugin
    // wraps every field resolver to collect them. Strings with a NUL or a lone surrogate are refused
    // as BAD_USER_INPUT before any resolver (useCleanStrings.ts).
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), useCleanStrings(), useOperationSpan()],
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok', service: options.name });
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const route = Object.hasOwn(options.routes ?? {}, url.pathname) ? options.routes![url.pathname] : undefined;
    if (route) {
      if (req.method !== 'GET') return sendJson(res, 405, errorBody('Use GET', 'METHOD_NOT_ALLOWED'));
      const signed = await verifyRequest(
        { headers: { principal: header(PRINCIPAL_HEADER), subgraph: header(SUBGRAPH_HEADER), signature: header(SIGNATURE_HEADER) }, subgraph: options.name, body: routeBody(url) },
        options.signingSecret,
        nonces,
      );
      if (!signed.ok) return sendJson(res, 401, errorBody('Requests must come through the gateway', 'UNAUTHENTICATED'));
      return route(url, res);
    }
    if (url.pathname !== '/graphql') return sendJson(res, 404, errorBody('Not found', 'NOT_FOUND'));
    return traced(req, res, () => handleGraphQL(req, res, url, header));
  }

  /**
   * One server span per request, continuing the caller's trace (the gateway's `traceparent`);
   * the Apollo plugin below names it after the operation. A no-op unless tracing is started.
   */
  async function traced(req: IncomingMessage, res: ServerResponse, run: () => Promise<void>): Promise<void> {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const method = req.method ?? 'GET';
    const attributes = { 'http.request.method': method, 'url.path': '/graphql', 'greenpoints.subgraph': options.name };
    return serviceTracer(options.name).startActiveSpan(`${method} /graphql`, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
      try {
        await run();
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    });
  }

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL, header: (name: string) => string | undefined): Promise<void> {
    // Only POST: the signature covers the body, and a GET query string would escape it.
    if (req.method !== 'POST') return sendJson(res, 405, errorBody('Use POST', 'METHOD_NOT_ALLOWED'));
    const raw = await readBody(req);
    if (raw === null) return sendJson(res, 413, errorBody('Request body too large', 'BAD_REQUEST'));

    const verified = await verifyRequest(
      {
        headers: { principal: header(PRINCIPAL_HEADER), subgraph: header(SUBGRAPH_HEADER), signature: header(SIGNATURE_HEADER) },
        subgraph: options.name,
        body: raw,
      },
      options.signingSecret,
      nonces,
    );
    if (!verified.ok) {
      logger.warn({ reason: verified.reason }, 'refused request not signed by the gateway');
      return sendJson(res, 401, errorBody('Requests must come through the gateway', 'UNAUTHENTICATED'));
    }

    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendJson(res, 400, errorBody('Malformed JSON body', 'BAD_REQUEST'));
    }

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      // Not `accept`: a subgraph answers one JSON result per request, and without the header Apollo
      // Server answers application/json without parsing the gateway's list of media types
      // (`negotiator` went from 1.5–2.4% of a subgraph's CPU on the home query to 0.6–1.2%).
      if (value !== undefined && key !== 'accept') headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const requestId = header('x-request-id') ?? randomUUID();
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: url.search, body },
      context: async () =>
        options.context({ principal: verified.principal, requestId, logger: logger.child({ requestId }) }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return {
    handler: (req, res) => {
      handle(req, res).catch((err: unknown) => {
        logger.error({ err }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
        else res.end();
      });
    },
    start: () => apollo.start(),
    stop: async () => {
      await apollo.stop();
      await nonces.close?.();
    },
  };
}

export interface Listening {
  url: string;
  port: number;
  close(drainMs?: number): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one) and returns the GraphQL URL. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
  host = '127.0.0.1',
  path = '/graphql',
): Promise<Listening> {
  const server: Server = createServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}${path}`,
    port: address.port,
    // Stops accepting, lets requests in flight finish (up to drainMs), then cuts what is left.
    close: (drainMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        const cut = setTimeout(() => server.closeAllConnections(), drainMs);
        cut.unref();
        server.close((err) => {
          clearTimeout(cut);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
