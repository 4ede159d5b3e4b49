import { randomUUID } from 'node:crypto';
import { isUuid, type Principal } from '@greenpoints/common';
import type { Database, Executor } from '@greenpoints/db';
import { auditLog, fraudCases, ledgerOutbox, userCopies } from '@greenpoints/db/schema/ledger';
import { publish } from '@greenpoints/events';
import { and, eq } from 'drizzle-orm';
import { accountKey, ALLIANCE, move, userAccount } from '../domain/postings.ts';
import { badInput, LedgerError } from '../errors.ts';
import { appendPostings, insertTransaction, lockAccounts, takeFromLots } from '../repositories/accountsRepository.ts';
import { actorOf } from './actor.ts';
import { runOperation } from './operationLog.ts';

export type FraudCaseRow = typeof fraudCases.$inferSelect;

function staffOnly(principal: Principal): void {
  if (principal.role !== 'admin' && principal.role !== 'auditor') throw new LedgerError('FORBIDDEN', 'Fraud cases are for admins and auditors only');
}

function text(field: string, value: string, max: number): string {
  const v = value.trim();
  if (v.length < 1 || v.length > max) throw badInput(field, `${field} must be 1–${max} characters`);
  return v;
}

async function caseById(tx: Executor, id: string): Promise<FraudCaseRow> {
  const [row] = isUuid(id) ? await tx.select().from(fraudCases).where(eq(fraudCases.id, id)) : [];
  if (!row) throw new LedgerError('NOT_FOUND', 'No such fraud case', { argument: 'caseId' });
  return row;
}

const audit = (tx: Executor, principal: Principal, action: string, c: { userId: string; id: string }, reason: string, details: Record<string, unknown>, now: Date) =>
  tx.insert(auditLog).values({ actor: actorOf(principal), action, userId: c.userId, caseId: c.id, reason, details, at: now });

/** Opens a case against a user's account, with evidence (required), optionally freezing it at once. */
export function openFraudCase(
  db: Database,
  principal: Principal,
  input: { userId: string; evidence: string; reason: string; freeze: boolean },
  idempotencyKey: string,
  now = new Date(),
): Promise<FraudCaseRow> {
  staffOnly(principal);
  if (!isUuid(input.userId)) throw badInput('userId', 'userId is not a valid id');
  const evidence = text('evidence', input.evidence, 5_000);
  const reason = text('reason', input.reason, 500);
  return runOperation(
    db,
    { scope: `fraud:${actorOf(principal)}`, key: idempotencyKey, actor: actorOf(principal), request: { op: 'open', ...input, evidence, reason } },
    async (tx) => {
      const [user] = await tx.select().from(userCopies).where(eq(userCopies.userId, input.userId));
      if (!user) throw new LedgerError('UNKNOWN_USER', 'No such user', { field: 'userId' });
      const id = randomUUID();
      await tx.insert(fraudCases).values({ id, userId: input.userId, status: 'OPEN', evidence, reason, frozen: input.freeze, openedBy: actorOf(principal), openedAt: now });
      await audit(tx, principal, 'OPEN_CASE', { id, userId: input.userId }, reason, { freeze: input.freeze }, now);
      if (input.freeze) await publish(tx, ledgerOutbox, 'AccountFrozen', { userId: input.userId, caseId: id, frozen: true, occurredAt: now.toISOString() }, now);
      return { caseId: id };
    },
    (tx, r) => caseById(tx, r.caseId),
    now,
  );
}

/**
 * Freezes or unfreezes the account under a case: a frozen account cannot redeem or transfer, and
 * still earns. Through the operation log, keyed per case: a retry returns the case as the first
 * call left it, with one audit line and one event.
 */
export function freezeAccount(db: Database, principal: Principal, caseId: string, frozen: boolean, reasonIn: string, idempotencyKey: string, now = new Date()): Promise<FraudCaseRow> {
  staffOnly(principal);
  const reason = text('reason', reasonIn, 500);
  return runOperation(
    db,
    { scope: `fraud-case:${caseId}`, key: idempotencyKey, actor: actorOf(principal), request: { op: frozen ? 'freeze' : 'unfreeze', reason } },
    async (tx) => {
      const c = await caseById(tx, caseId);
      if (c.status === 'DISMISSED') throw new LedgerError('CASE_NOT_CONFIRMED', 'A dismissed case cannot freeze an account');
      await tx.update(fraudCases).set({ frozen }).where(eq(fraudCases.id, c.id));
      await audit(tx, principal, frozen ? 'FREEZE' : 'UNFREEZE', c, reason, {}, now);
      await publish(tx, ledgerOutbox, 'AccountFrozen', { userId: c.userId, caseId: c.id, frozen, occurredAt: now.toISOString() }, now);
      return { caseId: c.id, frozen };
    },
    async (tx, r) => ({ ...(await caseById(tx, r.caseId)), frozen: r.frozen }),
    now,
  );
}

/**
 * Confirms (evidence upheld) or dismisses an open case; dismissing lifts its freeze. Through the
 * operation log, keyed per case: a retry returns the resolved case rather than CASE_NOT_CONFIRMED.
 */
export function resolveFraudCase(
  db: Database,
  principal: Principal,
  caseId: string,
  status: 'CONFIRMED' | 'DISMISSED',
  reasonIn: string,
  idempotencyKey: string,
  now = new Date(),
): Promise<FraudCaseRow> {
  staffOnly(principal);
  const reason = text('reason', reasonIn, 500);
  return runOperation(
    db,
    { scope: `fraud-case:${caseId}`, key: idempotencyKey, actor: actorOf(principal), request: { op: 'resolve', status, reason } },
    async (tx) => {
      const c = await caseById(tx, caseId);
      const [updated] = await tx
        .update(fraudCases)
        .set({ status, resolvedAt: now, ...(status === 'DISMISSED' ? { frozen: false } : {}) })
        .where(and(eq(fraudCases.id, c.id), eq(fraudCases.status, 'OPEN')))
        .returning();
      if (!updated) throw new LedgerError('CASE_NOT_CONFIRMED', `The case is already ${c.status.toLowerCase()}`);
      await audit(tx, principal, status === 'CONFIRMED' ? 'CONFIRM_CASE' : 'DISMISS_CASE', c, reason, {}, now);
      if (status === 'DISMISSED' && c.frozen) await publish(tx, ledgerOutbox, 'AccountFrozen', { userId: c.userId, caseId: c.id, frozen: false, occurredAt: now.toISOString() }, now);
      return { caseId: c.id };
    },
    (tx, r) => caseById(tx, r.caseId),
    now,
  );
}

/**
 * Takes back up to `points` from the user's lots (pending and available, first-expiring-first),
 * only under a CONFIRMED case; what is taken goes to the alliance's clawback account.
 */
export function clawback(db: Database, principal: Principal, caseId: string, points: number, reasonIn: string, idempotencyKey: string, now = new Date()): Promise<{ caseId: string; points: number }> {
  staffOnly(principal);
  const reason = text('reason', reasonIn, 500);
  if (!Number.isSafeInteger(points) || points <= 0) throw badInput('points', 'points must be a positive whole number');
  return runOperation(
    db,
    { scope: `clawback:${caseId}`, key: idempotencyKey, actor: actorOf(principal), request: { points, reason } },
    async (tx, operationId) => {
      const c = await caseById(tx, caseId);
      if (c.status !== 'CONFIRMED') throw new LedgerError('CASE_NOT_CONFIRMED', 'Points are clawed back only under a confirmed case with evidence');
      const ref = userAccount(c.userId, 'POINTS');
      const locked = await lockAccounts(tx, [ref]);
      const transactionId = randomUUID();
      await insertTransaction(tx, { id: transactionId, operationId, type: 'CLAWBACK', userId: c.userId, description: `Clawback: ${reason}`, metadata: { caseId: c.id }, createdAt: now });
      const taken = (await takeFromLots(tx, locked.get(accountKey(ref))!.id, points, transactionId, { reason: 'CLAWBACK', now, includePending: true, partial: true })).reduce((s, a) => s + a.amount, 0);
      if (taken > 0) await appendPostings(tx, transactionId, move(ref, { kind: 'CLAWBACK', ownerId: ALLIANCE, asset: 'POINTS' }, taken));
      await audit(tx, principal, 'CLAWBACK', c, reason, { requested: points, taken }, now);
      return { caseId: c.id, points: taken };
    },
    async (_tx, r) => r,
    now,
  );
}
