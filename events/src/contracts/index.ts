import type { z } from 'zod';
import type { EventContract, StreamName } from './common.ts';
import * as green from './green.ts';
import * as ledger from './ledger.ts';
import * as merchants from './merchants.ts';
import * as users from './users.ts';

export { SCHEMA_OF_STREAM, STREAMS, type EventContract, type StreamName } from './common.ts';

/** Every event contract, by type: the one registry both publishers and consumers validate against. */
export const CONTRACTS = { ...users, ...merchants, ...green, ...ledger };
export type EventType = keyof typeof CONTRACTS;
export type PayloadOf<T extends EventType> = z.infer<(typeof CONTRACTS)[T]['schema']>;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(CONTRACTS, type);
}

export function contractOf(type: EventType): EventContract {
  return CONTRACTS[type] as unknown as EventContract;
}

export const typesOfStream = (stream: StreamName): EventType[] =>
  (Object.keys(CONTRACTS) as EventType[]).filter((t) => CONTRACTS[t].stream === stream);

export type Validation = { ok: true; payload: unknown } | { ok: false; reason: string };

/** Checks a payload against its contract; the reason names the type, version and failing fields. */
export function validatePayload(type: string, version: number, payload: unknown): Validation {
  if (!isEventType(type)) return { ok: false, reason: `unknown event type ${type}` };
  const c = contractOf(type);
  if (version !== c.version) return { ok: false, reason: `${type} v${version} is not a known version (current v${c.version})` };
  const parsed = c.schema.safeParse(payload);
  if (parsed.success) return { ok: true, payload: parsed.data };
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, reason: `${type} v${version} payload invalid: ${issues.join('; ')}` };
}
