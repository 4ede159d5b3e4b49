/** The operation log's hash chain: pure, so the sealer and `ledger:verify` compute it the same way. */
import { createHash } from 'node:crypto';

export interface ChainEntry {
  seq: number;
  scope: string;
  key: string;
  requestHash: string;
  actor: string;
  result: unknown;
  createdAt: Date;
  /** Every posting the operation made, as `transactionId:accountId:asset:amount`, sorted. */
  postings: string[];
}

/** The chain starts from this value; the first entry's prevHash. */
export const GENESIS = 'greenpoints-ledger-genesis';

/** JSON with object keys sorted, so a result reads the same however Postgres returns jsonb. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function entryHash(prevHash: string, e: ChainEntry): string {
  const body = canonicalJson({
    seq: e.seq,
    scope: e.scope,
    key: e.key,
    requestHash: e.requestHash,
    actor: e.actor,
    result: e.result,
    createdAt: e.createdAt.toISOString(),
    postings: [...e.postings].sort(),
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** A request's fingerprint: the same body always hashes the same, whatever the key order. */
export const requestHashOf = (request: unknown): string => createHash('sha256').update(canonicalJson(request)).digest('base64url');
