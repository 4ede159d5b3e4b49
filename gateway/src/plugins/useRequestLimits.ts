import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';

/**
 * The HTTP body: at most `maxBodyBytes` (counted while reading, so a missing or lying
 * Content-Length does not help), JSON that parses, one operation per request (batching is off:
 * one request, one cost, one rate-limit unit). Every refusal is a plain coded error; the parser's
 * own message, which quotes the body, never reaches the client.
 */
export function useRequestLimits(maxBodyBytes: number): GatewayPlugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method !== 'POST') return;
      const declared = Number(request.headers.get('content-length') ?? '0');
      if (declared > maxBodyBytes) throw tooLarge(maxBodyBytes);
      const type = request.headers.get('content-type') ?? '';
      // Multipart uploads are off; only JSON bodies are GraphQL requests here.
      if (!type.toLowerCase().startsWith('application/json')) {
        throw clientError('Send GraphQL as JSON (content-type: application/json)', 'BAD_REQUEST', 415);
      }
      setRequestParser(async (req) => parseParams(await readLimited(req, maxBodyBytes)));
    },
  };
}

function clientError(message: string, code: string, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

const tooLarge = (max: number) => clientError(`Request body is larger than ${max} bytes`, 'PAYLOAD_TOO_LARGE', 413);

async function readLimited(request: Request, max: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseParams(text: string) {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw clientError('The request body is not valid JSON', 'BAD_REQUEST', 400);
  }
  if (Array.isArray(body)) throw clientError('Batched requests are not supported: send one operation per request', 'BAD_REQUEST', 400);
  if (!isRecord(body)) throw clientError('The request body must be a JSON object', 'BAD_REQUEST', 400);
  const { query, variables, operationName, extensions, documentId } = body;
  if (query !== undefined && typeof query !== 'string') throw clientError('"query" must be a string', 'BAD_REQUEST', 400);
  if (variables != null && !isRecord(variables)) throw clientError('"variables" must be an object', 'BAD_REQUEST', 400);
  if (operationName != null && typeof operationName !== 'string') throw clientError('"operationName" must be a string', 'BAD_REQUEST', 400);
  if (extensions != null && !isRecord(extensions)) throw clientError('"extensions" must be an object', 'BAD_REQUEST', 400);
  if (documentId != null && (typeof documentId !== 'string' || documentId.length > 200)) throw clientError('"documentId" must be a short string', 'BAD_REQUEST', 400);
  return {
    ...(query !== undefined ? { query } : {}),
    ...(variables != null ? { variables } : {}),
    ...(operationName != null ? { operationName } : {}),
    ...(extensions != null ? { extensions } : {}),
    // A trusted document's id (GraphQL over HTTP persisted documents), read by the manifest lookup.
    ...(documentId != null ? { documentId } : {}),
  };
}
