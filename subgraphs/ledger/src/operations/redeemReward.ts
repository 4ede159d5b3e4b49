import { randomUUID } from 'node:crypto';
import { DAY_MS, isUuid, type Principal } from '@greenpoints/common';
import { inState, send, type Database, type Executor } from '@greenpoints/db';
import { accounts, ledgerOutbox, redemptions } from '@greenpoints/db/schema/ledger';
import { publish } from '@greenpoints/events';
import { and, eq, lt } from 'drizzle-orm';
import { accountKey, move, userAccount, type AccountRef } from '../domain/postings.ts';
import { badInput, LedgerError } from '../errors.ts';
import type { MerchantsService } from '../merchantsClient.ts';
import { DEFAULT_POLICY, type LedgerPolicy } from '../policy.ts';
import { allocationsOf, appendPostings, creditLots, ensureAccounts, insertTransaction, lockAccounts, takeFromLots, type AccountRow } from '../repositories/accountsRepository.ts';
import { actorOf } from './actor.ts';
import { heirOfPool } from './dissolvedHouseholds.ts';
import { findOperation, runOperation } from './operationLog.ts';
import { activeUser, refuseIfFrozen } from './parties.ts';

export type RedemptionRow = typeof redemptions.$inferSelect;

export interface RedeemDeps {
  db: Database;
  merchants: MerchantsService | undefined;
  policy?: LedgerPolicy;
}

export interface RedeemInput {
  rewardId: string;
  quantity: number;
  fromHousehold: boolean;
  /** The unit price the member was shown: a price changed since is refused (REWARD_CHANGED). */
  expectedPointsCost?: number | null;
  /** The version of the terms the member was shown (Reward.termsVersion): terms changed since are refused (REWARD_CHANGED). */
  expectedTermsVersion?: number | null;
}

const MAX_QUANTITY = 100;
const LEDGER = 'service:ledger';

const holdAccount = (userId: string): AccountRef => ({ kind: 'HOLD', ownerId: userId, asset: 'POINTS' });

async function redemptionById(tx: Executor, id: string): Promise<RedemptionRow> {
  const [row] = await tx.select().from(redemptions).where(eq(redemptions.id, id));
  if (!row) throw new LedgerError('NOT_FOUND', 'No such redemption');
  return row;
}

/** A voided redemption answers every retry with the refusal that voided it. */
function outcome(row: RedemptionRow): RedemptionRow {
  if (row.status === 'VOIDED') {
    const code = row.reason === 'OUT_OF_STOCK' || row.reason === 'REWARD_NOT_AVAILABLE' ? row.reason : 'REWARD_NOT_AVAILABLE';
    throw new LedgerError(code, code === 'OUT_OF_STOCK' ? 'The reward is out of stock; your points were not taken' : 'The reward cannot be redeemed now; your points were not taken');
  }
  return row;
}

/**
 * Redeems a reward from the user's own points or their household pool, as a small saga:
 * 1. a hold (one operation-log entry): the points move, first-expiring-first, into the user's HOLD
 *    account, INSUFFICIENT_POINTS if they are not there;
 * 2. stock reserved at the merchants subgraph with the ledger's `service` principal (idempotent by
 *    redemption id);
 * 3. the hold posted to the merchant's redemption account, or voided (points back, lots restored
 *    with their own dates) when stock is gone; then the stock confirmed.
 * If the merchants subgraph cannot be reached the redemption stays HELD and the recovery pass
 * finishes it; a retry with the same key returns the same redemption.
 */
export async function redeemReward(deps: RedeemDeps, principal: Principal, input: RedeemInput, idempotencyKey: string, now = new Date()): Promise<RedemptionRow> {
  if (principal.role !== 'consumer' || !principal.sub) throw new LedgerError('FORBIDDEN', 'Only a member redeems, for themself');
  if (!isUuid(input.rewardId)) throw badInput('rewardId', 'rewardId is not a valid id');
  if (!Number.isSafeInteger(input.quantity) || input.quantity < 1 || input.quantity > MAX_QUANTITY) throw badInput('quantity', `quantity must be 1–${MAX_QUANTITY}`);
  const expected = input.expectedPointsCost ?? null;
  if (expected !== null && (!Number.isSafeInteger(expected) || expected < 0)) throw badInput('expectedPointsCost', 'expectedPointsCost must be a whole number of points');
  const expectedTerms = input.expectedTermsVersion ?? null;
  if (expectedTerms !== null && (!Number.isSafeInteger(expectedTerms) || expectedTerms < 1)) throw badInput('expectedTermsVersion', 'expectedTermsVersion must be a version number (1 or more)');
  const userId = principal.sub;
  const scope = `redeem:${userId}`;
  // An expectation is part of the request only when given, so keys used before it existed replay alike.
  const request = {
    rewardId: input.rewardId,
    quantity: input.quantity,
    fromHousehold: input.fromHousehold,
    ...(expected !== null ? { expectedPointsCost: expected } : {}),
    ...(expectedTerms !== null ? { expectedTermsVersion: expectedTerms } : {}),
  };
  const merchants = requireMerchants(deps);

  // A retry must not depend on the reward still being on sale: only quote for a new key.
  const earlier = await findOperation(deps.db, scope, idempotencyKey);
  const quote = earlier ? null : await merchants.quote(input.rewardId).catch(() => {
    throw new LedgerError('SERVICE_UNAVAILABLE', 'The catalogue cannot be reached; nothing was redeemed, try again');
  });
  if (!earlier && !quote) throw new LedgerError('NOT_FOUND', 'No such reward, or it is not in the catalogue now', { argument: 'rewardId' });
  // Terms are disclosed before they apply: a member is charged only the price they were shown.
  if (quote && expected !== null && quote.currentPointsCost !== expected) {
    throw new LedgerError('REWARD_CHANGED', `The reward now costs ${quote.currentPointsCost} points, not ${expected}: show the member the new price`, {
      argument: 'expectedPointsCost',
      currentPointsCost: quote.currentPointsCost,
    });
  }
  // Nor held to terms other than the ones they read.
  if (quote && expectedTerms !== null && quote.termsVersion !== expectedTerms) {
    throw new LedgerError('REWARD_CHANGED', `The reward's terms changed (version ${quote.termsVersion ?? 'unknown'}, not ${expectedTerms}): show the member the new terms`, {
      argument: 'expectedTermsVersion',
      currentTermsVersion: quote.termsVersion ?? null,
      currentTerms: quote.terms ?? null,
    });
  }

  const held = await runOperation(
    deps.db,
    { scope, key: idempotencyKey, actor: actorOf(principal), request },
    async (tx, operationId) => {
      if (!quote) throw new LedgerError('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used with a different request');
      const points = quote.currentPointsCost * input.quantity;
      if (!Number.isSafeInteger(points) || points <= 0) throw new LedgerError('REWARD_NOT_AVAILABLE', 'The reward has no points price');
      // Who redeems and whether they may, read together.
      const [user] = await Promise.all([activeUser(tx, userId), refuseIfFrozen(tx, userId)]);
      if (input.fromHousehold && !user.householdId) throw new LedgerError('NOT_HOUSEHOLD_MEMBER', 'You are not in a household');
      const source: AccountRef = input.fromHousehold
        ? { kind: 'HOUSEHOLD_POOL', ownerId: user.householdId!, asset: 'POINTS' }
        : { kind: 'USER', ownerId: userId, asset: 'POINTS' };
      const [locked, hold] = await Promise.all([lockAccounts(tx, [source]), ensureAccounts(tx, [holdAccount(userId)])]);
      const account = locked.get(accountKey(source))!;
      const redemptionId = randomUUID();
      const transactionId = randomUUID();
      // The transaction header goes out with the lots' lock; the lots decide whether the points are there.
      await Promise.all([
        insertTransaction(tx, {
          id: transactionId,
          operationId,
          type: 'REDEMPTION',
          userId,
          merchantId: quote.merchantId,
          description: input.fromHousehold ? 'Redemption from the household pool' : 'Redemption',
          metadata: { rewardId: input.rewardId, quantity: input.quantity, redemptionId },
          createdAt: now,
        }),
        takeFromLots(tx, account.id, points, transactionId, { reason: 'HOLD', now }),
      ]);
      await Promise.all([
        appendPostings(tx, transactionId, move(source, holdAccount(userId), points), new Map([...locked, ...hold])),
        send(
          tx.insert(redemptions).values({
            id: redemptionId,
            userId,
            accountId: account.id,
            rewardId: input.rewardId,
            merchantId: quote.merchantId,
            quantity: input.quantity,
            points,
            status: 'HELD',
            holdTransactionId: transactionId,
            terms: quote.terms ?? null,
            createdAt: now,
          }),
        ),
      ]);
      return { redemptionId };
    },
    (tx, result) => redemptionById(tx, result.redemptionId),
    now,
  );
  if (held.status !== 'HELD') return outcome(held);
  try {
    return outcome(await resolveHold(deps, held.id, now));
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    // The merchants subgraph did not answer: the hold stands, the recovery pass will finish it.
    return redemptionById(deps.db, held.id);
  }
}

function requireMerchants(deps: RedeemDeps): MerchantsService {
  if (!deps.merchants) throw new LedgerError('SERVICE_UNAVAILABLE', 'Redemption is not configured on this ledger');
  return deps.merchants;
}

/**
 * Finishes a held redemption: reserves stock (idempotent), then posts the hold or voids it, once —
 * each as its own operation-log entry keyed by the redemption, so the request path and the recovery
 * pass racing on one hold resolve it exactly once. Throws (leaving it HELD) if merchants is unreachable.
 */
export async function resolveHold(deps: RedeemDeps, redemptionId: string, now: Date): Promise<RedemptionRow> {
  const merchants = requireMerchants(deps);
  const hold = await redemptionById(deps.db, redemptionId);
  if (hold.status !== 'HELD') return hold;
  const answer = await merchants.reserveStock(hold.rewardId, hold.quantity, hold.id);
  const resolved = await runOperation(
    deps.db,
    { scope: `redemption:${hold.id}`, key: 'resolve', actor: LEDGER, request: { redemptionId: hold.id } },
    async (tx, operationId) => {
      const transactionId = randomUUID();
      const [claimed] = await tx
        .update(redemptions)
        .set(answer.ok ? { status: 'POSTED', stockState: 'RESERVED', resolvedAt: now } : { status: 'VOIDED', stockState: 'REFUSED', reason: answer.code, resolvedAt: now })
        .where(and(eq(redemptions.id, hold.id), eq(redemptions.status, 'HELD')))
        .returning();
      if (!claimed) return { redemptionId: hold.id };
      const link = () => tx.update(redemptions).set({ resolveTransactionId: transactionId }).where(eq(redemptions.id, hold.id));
      if (answer.ok) {
        await Promise.all([
          insertTransaction(tx, { id: transactionId, operationId, type: 'REDEMPTION_POST', merchantId: hold.merchantId, description: 'Redemption posted', metadata: { redemptionId: hold.id }, createdAt: now }),
          send(link()),
          appendPostings(tx, transactionId, move(holdAccount(hold.userId), { kind: 'MERCHANT_REDEMPTION', ownerId: hold.merchantId, asset: 'POINTS' }, hold.points)),
          isPool(tx, hold.accountId).then((fromHousehold) =>
            publish(tx, ledgerOutbox, 'RedemptionPosted', {
              redemptionId: hold.id,
              userId: hold.userId,
              merchantId: hold.merchantId,
              rewardId: hold.rewardId,
              quantity: hold.quantity,
              points: hold.points,
              fromHousehold,
              occurredAt: now.toISOString(),
            }, now),
          ),
        ]);
      } else {
        await insertTransaction(tx, { id: transactionId, operationId, type: 'REDEMPTION_VOID', userId: hold.userId, merchantId: hold.merchantId, description: `Redemption voided: ${answer.code}`, metadata: { redemptionId: hold.id }, createdAt: now });
        await link();
        await restoreHold(tx, hold, transactionId, now, 'HOLD');
      }
      return { redemptionId: hold.id };
    },
    (tx, result) => redemptionById(tx, result.redemptionId),
    now,
  );
  if (resolved.status === 'POSTED' && resolved.stockState === 'RESERVED') return confirm(deps, resolved);
  return resolved;
}

async function isPool(tx: Executor, accountId: string): Promise<boolean> {
  const [row] = await tx.select({ kind: accounts.kind }).from(accounts).where(eq(accounts.id, accountId));
  return row?.kind === 'HOUSEHOLD_POOL';
}

/**
 * Moves a redemption's points from `from` back to the account they came from, as new lots with the
 * dates of the lots they left (never extended, never shortened). A caller that has locked the
 * source account already passes its rows: the credit settles debt in that very row, so a later
 * credit to the same account in this transaction sees the debt as it now is. Points from the pool
 * of a household dissolved since go to the member the pool went to.
 */
async function restoreHold(tx: Executor, hold: RedemptionRow, transactionId: string, now: Date, from: 'HOLD' | 'MERCHANT_REDEMPTION', lockedAlready?: Map<string, AccountRow>) {
  const [source] = await tx.select().from(accounts).where(eq(accounts.id, hold.accountId));
  const heir = source!.kind === 'HOUSEHOLD_POOL' ? await heirOfPool(tx, source!.ownerId) : null;
  const sourceRef: AccountRef = heir ? userAccount(heir, 'POINTS') : { kind: source!.kind as AccountRef['kind'], ownerId: source!.ownerId, asset: 'POINTS' };
  const locked = lockedAlready?.has(accountKey(sourceRef)) ? lockedAlready : await lockAccounts(tx, [sourceRef]);
  const allocations = await allocationsOf(tx, hold.holdTransactionId);
  await creditLots(tx, locked.get(accountKey(sourceRef))!, 'POINTS', transactionId, allocations.map((a) => ({ amount: a.amount, availableAt: a.availableAt < now ? a.availableAt : now, expiresAt: a.expiresAt })), now);
  const fromRef: AccountRef = from === 'HOLD' ? holdAccount(hold.userId) : { kind: 'MERCHANT_REDEMPTION', ownerId: hold.merchantId, asset: 'POINTS' };
  await appendPostings(tx, transactionId, move(fromRef, sourceRef, hold.points));
}

async function confirm(deps: RedeemDeps, row: RedemptionRow): Promise<RedemptionRow> {
  try {
    const answer = await requireMerchants(deps).confirmStock(row.id);
    const state = answer.ok ? 'CONFIRMED' : row.stockState;
    const [updated] = await deps.db.update(redemptions).set({ stockState: state }).where(eq(redemptions.id, row.id)).returning();
    return updated ?? row;
  } catch {
    return row; // confirmed later by the recovery pass
  }
}

export interface CancelInput {
  redemptionId: string;
  reason: string;
  compensationPoints: number;
}

/**
 * Cancels a posted redemption (the merchant could not deliver: a cancelled flight): the points go
 * back to where they came from with their own expiry dates, and `compensationPoints` are added from
 * the merchant's funded budget as a new lot. Once per redemption; a retry with the same reason and
 * compensation returns the cancelled redemption, another body is IDEMPOTENCY_CONFLICT.
 */
export async function cancelRedemption(deps: RedeemDeps, principal: Principal, input: CancelInput, now = new Date()): Promise<RedemptionRow> {
  if (!isUuid(input.redemptionId)) throw new LedgerError('NOT_FOUND', 'No such redemption', { argument: 'redemptionId' });
  const reason = input.reason.trim();
  if (reason.length < 1 || reason.length > 500) throw badInput('reason', 'reason must be 1–500 characters');
  if (!Number.isSafeInteger(input.compensationPoints) || input.compensationPoints < 0 || input.compensationPoints > 1_000_000) {
    throw badInput('compensationPoints', 'compensationPoints must be a whole number between 0 and 1000000');
  }
  const policy = deps.policy ?? DEFAULT_POLICY;
  return runOperation(
    deps.db,
    { scope: `redemption:${input.redemptionId}`, key: 'cancel', actor: actorOf(principal), request: { reason, compensationPoints: input.compensationPoints } },
    async (tx, operationId) => {
      const row = await redemptionById(tx, input.redemptionId).catch(() => {
        throw new LedgerError('NOT_FOUND', 'No such redemption', { argument: 'redemptionId' });
      });
      authorizeCancel(principal, row);
      const transactionId = randomUUID();
      const [claimed] = await tx
        .update(redemptions)
        .set({ status: 'CANCELLED', compensationPoints: input.compensationPoints, reason })
        .where(and(eq(redemptions.id, row.id), eq(redemptions.status, 'POSTED')))
        .returning();
      if (!claimed) throw new LedgerError('REDEMPTION_NOT_CANCELLABLE', `A ${row.status.toLowerCase()} redemption cannot be cancelled`);
      await insertTransaction(tx, { id: transactionId, operationId, type: 'REDEMPTION_CANCEL', userId: row.userId, merchantId: row.merchantId, description: `Redemption cancelled: ${reason}`, metadata: { redemptionId: row.id }, createdAt: now });
      await tx.update(redemptions).set({ cancelTransactionId: transactionId }).where(eq(redemptions.id, row.id));
      const user: AccountRef = { kind: 'USER', ownerId: row.userId, asset: 'POINTS' };
      // The pool and the user's account (both, when points return to a pool) are locked together, in id order.
      const [source] = await tx.select().from(accounts).where(eq(accounts.id, row.accountId));
      const locked = await lockAccounts(tx, [user, { kind: source!.kind as AccountRef['kind'], ownerId: source!.ownerId, asset: 'POINTS' }]);
      await restoreHold(tx, row, transactionId, now, 'MERCHANT_REDEMPTION', locked);
      if (input.compensationPoints > 0) {
        await creditLots(tx, locked.get(accountKey(user))!, 'POINTS', transactionId, [
          { amount: input.compensationPoints, availableAt: now, expiresAt: new Date(now.getTime() + policy.compensationValidityDays * DAY_MS) },
        ], now);
        // The merchant pays the compensation from its funded budget, last (its row is hot).
        await appendPostings(tx, transactionId, move({ kind: 'MERCHANT_ISSUANCE', ownerId: row.merchantId, asset: 'POINTS' }, user, input.compensationPoints));
      }
      await publish(tx, ledgerOutbox, 'RedemptionCancelled', {
        redemptionId: row.id,
        userId: row.userId,
        merchantId: row.merchantId,
        points: row.points,
        compensationPoints: input.compensationPoints,
        reason,
        occurredAt: now.toISOString(),
      }, now);
      return { redemptionId: row.id };
    },
    async (tx, result) => {
      const row = await redemptionById(tx, result.redemptionId);
      // The key is the redemption's, not the caller's: a replay is authorised like the first call.
      authorizeCancel(principal, row);
      return row;
    },
    now,
  );
}

function authorizeCancel(principal: Principal, row: RedemptionRow): void {
  const mayCancel = principal.role === 'admin' || (principal.role === 'merchant' && principal.merchantId === row.merchantId);
  if (!mayCancel) throw new LedgerError('FORBIDDEN', 'Only the merchant that sold the reward, or an admin, may cancel a redemption');
}

/**
 * The recovery pass: finishes holds a crash or an unreachable merchants subgraph left HELD (older
 * than the policy's grace period), and confirms stock of posted redemptions not yet confirmed.
 * Safe to run anywhere, any number of times, concurrently with requests.
 */
export async function recoverRedemptions(deps: RedeemDeps, now = new Date()): Promise<{ resolved: number; confirmed: number; failed: number }> {
  const policy = deps.policy ?? DEFAULT_POLICY;
  const cutoff = new Date(now.getTime() - policy.holdRecoveryAfterMs);
  const stale = await deps.db.select().from(redemptions).where(and(inState(redemptions.status, 'HELD'), lt(redemptions.createdAt, cutoff))).limit(500);
  const unconfirmed = await deps.db.select().from(redemptions).where(and(eq(redemptions.status, 'POSTED'), eq(redemptions.stockState, 'RESERVED'))).limit(500);
  let resolved = 0;
  let confirmed = 0;
  let failed = 0;
  for (const hold of stale) {
    try {
      const row = await resolveHold(deps, hold.id, now);
      if (row.status !== 'HELD') resolved += 1;
    } catch {
      failed += 1;
    }
  }
  for (const row of unconfirmed) {
    const after = await confirm(deps, row);
    if (after.stockState === 'CONFIRMED') confirmed += 1;
  }
  return { resolved, confirmed, failed };
}
