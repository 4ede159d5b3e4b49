import { prepared, queryRows, send, type Database, type Executor } from '@greenpoints/db';
import { operations, postings, transactions } from '@greenpoints/db/schema/ledger';
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { entryHash, GENESIS, requestHashOf } from '../domain/chain.ts';
import { badInput, LedgerError } from '../errors.ts';
import { isCleanText } from '@greenpoints/common';

export interface OperationRequest {
  /** The operation and whose key space it is, e.g. `purchase:<merchantId>`. */
  scope: string;
  /** The client's idempotency key. */
  key: string;
  /** Who asked: `role:id`. */
  actor: string;
  /** The request body that the key stands for; another body under the same key is a conflict. */
  request: unknown;
}

export type OperationRow = typeof operations.$inferSelect;

export function checkIdempotencyKey(key: string): void {
  if (key.length < 1 || !isCleanText(key, 200)) throw badInput('idempotencyKey', 'idempotencyKey must be 1–200 characters of valid text');
}

/** The log's claim of (scope, key): its id, or nothing when the key was claimed before. */
const insertOperation = prepared('ledger_operation_claim', (db) =>
  db
    .insert(operations)
    .values({
      scope: sql.placeholder('scope'),
      key: sql.placeholder('key'),
      requestHash: sql.placeholder('requestHash'),
      actor: sql.placeholder('actor'),
      createdAt: sql.placeholder('createdAt'),
    })
    .onConflictDoNothing({ target: [operations.scope, operations.key] })
    .returning({ id: operations.id }),
);
const settleOperation = prepared('ledger_operation_settle', (db) =>
  db
    .update(operations)
    .set({ result: sql.placeholder('result') })
    .where(eq(operations.id, sql.placeholder('id'))),
);

/**
 * Runs one ledger mutation through the operation log, in one database transaction: the log row is
 * inserted first (unique on scope and key), so a concurrent retry waits on it and then replays; a
 * finished retry returns `replay(firstResult)`; the same key with another body is
 * IDEMPOTENCY_CONFLICT. `work` gets the entry's id to stamp on its transactions and returns the
 * result a retry will see. If `work` throws, nothing of the attempt remains, the key included.
 * `work` may record its result itself with `settle(result)` (a promise to send with its last
 * writes, so the log's update rides in the same round trip instead of one more while its locks
 * are held); otherwise it is recorded after `work` returns.
 */
export async function runOperation<R extends Record<string, unknown>, T, P = undefined>(
  db: Database | Executor,
  op: OperationRequest,
  work: (tx: Executor, operationId: number, settle: (result: R) => Promise<unknown>, read: P) => Promise<R>,
  replay: (tx: Executor, result: R) => Promise<T>,
  now = new Date(),
  prefetch?: (tx: Executor) => Promise<P>,
): Promise<T> {
  checkIdempotencyKey(op.key);
  const requestHash = requestHashOf(op.request);
  return db.transaction(async (tx) => {
    const claim = send(insertOperation(tx, { scope: op.scope, key: op.key, requestHash, actor: op.actor, createdAt: now }));
    // Reads the work needs whatever the log says go out behind the log's insert, in the same round
    // trip; a replay drops them (they only read).
    const read = prefetch ? prefetch(tx) : Promise.resolve(undefined as P);
    const [inserted] = await claim.catch(async (error: unknown) => {
      await read.catch(() => undefined);
      throw error;
    });
    if (!inserted) {
      await read.catch(() => undefined);
      const [first] = await tx
        .select()
        .from(operations)
        .where(and(eq(operations.scope, op.scope), eq(operations.key, op.key)));
      if (!first || first.requestHash !== requestHash) {
        throw new LedgerError('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used with a different request', { argument: 'idempotencyKey' });
      }
      return replay(tx, first.result as R);
    }
    let settled: R | undefined;
    const settle = (result: R) => {
      settled = result;
      return send(settleOperation(tx, { id: inserted.id, result }));
    };
    const result = await work(tx, inserted.id, settle, await read);
    if (settled === undefined) await settle(result);
    else if (settled !== result) throw new Error('runOperation: work settled one result and returned another');
    return replay(tx, result);
  });
}

/** The operation-log entry of (scope, key), if any: for callers that must know whether work was done. */
export async function findOperation(db: Executor, scope: string, key: string): Promise<OperationRow | undefined> {
  const [row] = await db.select().from(operations).where(and(eq(operations.scope, scope), eq(operations.key, key)));
  return row;
}

/** Transactions whose postings one statement looks up (a statement takes 65,535 parameters). */
const POSTINGS_LOOKUP_SLICE = 10_000;

/** The postings of each operation, as the chain covers them. */
async function postingsOf(db: Executor, operationIds: number[]): Promise<Map<number, string[]>> {
  const byOp = new Map<number, string[]>(operationIds.map((id) => [id, []]));
  if (operationIds.length === 0) return byOp;
  // Two index lookups rather than one join: the seed's entries each hold 10,000 transactions, so
  // PostgreSQL expects thousands per entry and joined by scanning every posting (215 ms a batch at
  // 200,000 users, on the ledger's connection, for every few purchases).
  const owned = await db
    .select({ id: transactions.id, operationId: transactions.operationId })
    .from(transactions)
    .where(inArray(transactions.operationId, operationIds));
  if (owned.length === 0) return byOp;
  const operationOf = new Map(owned.map((t) => [t.id, t.operationId!]));
  const ids = [...operationOf.keys()];
  // In slices: a seed's entry alone holds 10,000 transactions, and a statement takes 65,535 parameters.
  for (let at = 0; at < ids.length; at += POSTINGS_LOOKUP_SLICE) {
    const rows = await db
      .select({ transactionId: postings.transactionId, accountId: postings.accountId, asset: postings.asset, amount: postings.amount })
      .from(postings)
      .where(inArray(postings.transactionId, ids.slice(at, at + POSTINGS_LOOKUP_SLICE)));
    for (const r of rows) byOp.get(operationOf.get(r.transactionId)!)?.push(`${r.transactionId}:${r.accountId}:${r.asset}:${r.amount}`);
  }
  return byOp;
}

/** One sealer at a time, alliance-wide (any replica may run it). */
const SEAL_LOCK = 0x6770_7365;

/**
 * Seals committed, unsealed entries into the hash chain in id order: each gets the next `seq`, the
 * previous entry's hash, and a hash over both, the entry and its postings. Returns how many it sealed.
 */
export async function sealOperations(db: Database, batch = 2_000): Promise<number> {
  return db.transaction(async (tx) => {
    const [{ locked } = { locked: false }] = await queryRows<{ locked: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${SEAL_LOCK}) AS locked`);
    if (!locked) return 0;
    const [last] = await tx
      .select({ seq: operations.seq, hash: operations.hash })
      .from(operations)
      .where(isNotNull(operations.seq))
      .orderBy(desc(operations.seq))
      .limit(1);
    const pending = await tx
      .select()
      .from(operations)
      .where(and(isNull(operations.seq), isNotNull(operations.result)))
      .orderBy(asc(operations.id))
      .limit(batch);
    if (pending.length === 0) return 0;
    const posted = await postingsOf(tx, pending.map((p) => p.id));
    let seq = last?.seq ?? 0;
    let prev = last?.hash ?? GENESIS;
    const sealed = { ids: [] as number[], seqs: [] as number[], prevHashes: [] as string[], hashes: [] as string[] };
    for (const op of pending) {
      seq += 1;
      const hash = entryHash(prev, { ...op, seq, postings: posted.get(op.id) ?? [] });
      sealed.ids.push(op.id);
      sealed.seqs.push(seq);
      sealed.prevHashes.push(prev);
      sealed.hashes.push(hash);
      prev = hash;
    }
    // One statement for the batch: a round trip per entry was most of the ledger's background CPU
    // under a stream of purchases (each sealed entry cost as much as building and sending a purchase's write).
    await tx.execute(sql`
      UPDATE ${operations} SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
      FROM unnest(${sql.param(sealed.ids)}::bigint[], ${sql.param(sealed.seqs)}::bigint[], ${sql.param(sealed.prevHashes)}::text[], ${sql.param(sealed.hashes)}::text[])
        AS v(id, seq, prev_hash, hash)
      WHERE ${operations.id} = v.id`);
    return pending.length;
  });
}

export interface ChainReport {
  sealed: number;
  unsealed: number;
  /** The first entry whose stored hash is not what its content and predecessor give. */
  brokenAt: number | null;
}

/** Recomputes the whole chain from the entries and the postings as they are now. */
export async function verifyChain(db: Executor, pageSize = 5_000): Promise<ChainReport> {
  let prev = GENESIS;
  let sealed = 0;
  let after = 0;
  for (;;) {
    const page = await db
      .select()
      .from(operations)
      .where(and(isNotNull(operations.seq), sql`${operations.seq} > ${after}`))
      .orderBy(asc(operations.seq))
      .limit(pageSize);
    if (page.length === 0) break;
    const posted = await postingsOf(db, page.map((p) => p.id));
    for (const op of page) {
      const expected = entryHash(prev, { ...op, seq: op.seq!, postings: posted.get(op.id) ?? [] });
      if (op.seq !== sealed + 1 || op.prevHash !== prev || op.hash !== expected) {
        return { sealed, unsealed: await unsealedCount(db), brokenAt: op.seq };
      }
      prev = expected;
      sealed += 1;
    }
    after = page[page.length - 1]!.seq!;
  }
  return { sealed, unsealed: await unsealedCount(db), brokenAt: null };
}

async function unsealedCount(db: Executor): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ledger.operations WHERE seq IS NULL`);
  return Number(row?.n ?? 0);
}
