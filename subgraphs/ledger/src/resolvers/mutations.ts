import { canonicalId, isStaff, isUuid } from '@greenpoints/common';
import { userCopies } from '@greenpoints/db/schema/ledger';
import { eq } from 'drizzle-orm';
import type { LedgerContext } from '../context.ts';
import type { Asset } from '../domain/postings.ts';
import { LedgerError } from '../errors.ts';
import { expirePoints } from '../operations/expirePoints.ts';
import { clawback, freezeAccount, openFraudCase, resolveFraudCase } from '../operations/fraud.ts';
import { fundIssuanceBudget } from '../operations/fundBudget.ts';
import { contributeToHousehold, transferPoints } from '../operations/householdTransfers.ts';
import { cancelRedemption, redeemReward, type RedemptionRow } from '../operations/redeemReward.ts';
import { refundPurchase } from '../operations/refundPurchase.ts';
import { settle } from '../operations/settle.ts';

type Ctx = LedgerContext;
const id = (v: string) => canonicalId(v);

export const mutationResolvers = {
  refundPurchase: (_: unknown, a: { purchaseId: string; amount?: number | null; lines?: { sku: string; quantity: number }[] | null; idempotencyKey: string }, ctx: Ctx) =>
    refundPurchase(ctx.db, ctx.principal, { purchaseId: id(a.purchaseId), amount: a.amount ?? null, lines: a.lines ?? null }, a.idempotencyKey),
  redeemReward: (_: unknown, a: { rewardId: string; quantity: number; fromHousehold: boolean; expectedPointsCost?: number | null; expectedTermsVersion?: number | null; idempotencyKey: string }, ctx: Ctx) =>
    redeemReward(
      { db: ctx.db, merchants: ctx.merchants, policy: ctx.policy },
      ctx.principal,
      { rewardId: id(a.rewardId), quantity: a.quantity, fromHousehold: a.fromHousehold, expectedPointsCost: a.expectedPointsCost ?? null, expectedTermsVersion: a.expectedTermsVersion ?? null },
      a.idempotencyKey,
    ),
  cancelRedemption: (_: unknown, a: { redemptionId: string; reason: string; compensationPoints: number }, ctx: Ctx) =>
    cancelRedemption({ db: ctx.db, merchants: ctx.merchants, policy: ctx.policy }, ctx.principal, { redemptionId: id(a.redemptionId), reason: a.reason, compensationPoints: a.compensationPoints }),
  transferPoints: async (_: unknown, a: { toUserId: string; amount: number; idempotencyKey: string }, ctx: Ctx) => ({
    ...(await transferPoints(ctx.db, ctx.principal, id(a.toUserId), a.amount, a.idempotencyKey)),
    viewerId: ctx.principal.sub,
  }),
  contributeToHousehold: async (_: unknown, a: { amount: number; idempotencyKey: string }, ctx: Ctx) => ({
    ...(await contributeToHousehold(ctx.db, ctx.principal, a.amount, a.idempotencyKey)),
    viewerId: ctx.principal.sub,
  }),
  expirePoints: (_: unknown, a: { asOf: Date; idempotencyKey: string }, ctx: Ctx) => expirePoints(ctx.db, ctx.principal, a.asOf, a.idempotencyKey),
  fundIssuanceBudget: (_: unknown, a: { merchantId?: string | null; points: number; asset: Asset; idempotencyKey: string }, ctx: Ctx) =>
    fundIssuanceBudget(ctx.db, ctx.principal, a.merchantId ? id(a.merchantId) : null, a.points, a.asset, a.idempotencyKey),
  openFraudCase: (_: unknown, a: { userId: string; evidence: string; reason: string; freeze: boolean; idempotencyKey: string }, ctx: Ctx) =>
    openFraudCase(ctx.db, ctx.principal, { userId: id(a.userId), evidence: a.evidence, reason: a.reason, freeze: a.freeze }, a.idempotencyKey),
  freezeAccount: (_: unknown, a: { caseId: string; frozen: boolean; reason: string; idempotencyKey: string }, ctx: Ctx) =>
    freezeAccount(ctx.db, ctx.principal, id(a.caseId), a.frozen, a.reason, a.idempotencyKey),
  resolveFraudCase: (_: unknown, a: { caseId: string; status: 'CONFIRMED' | 'DISMISSED'; reason: string; idempotencyKey: string }, ctx: Ctx) =>
    resolveFraudCase(ctx.db, ctx.principal, id(a.caseId), a.status, a.reason, a.idempotencyKey),
  clawback: (_: unknown, a: { caseId: string; points: number; reason: string; idempotencyKey: string }, ctx: Ctx) =>
    clawback(ctx.db, ctx.principal, id(a.caseId), a.points, a.reason, a.idempotencyKey),
  settle: (_: unknown, a: { period: string }, ctx: Ctx) => settle(ctx.db, ctx.principal, a.period),
};

export const redemptionResolvers = {
  reward: (r: RedemptionRow) => ({ id: r.rewardId }),
  merchant: (r: RedemptionRow) => ({ id: r.merchantId }),
  fromHousehold: async (r: RedemptionRow, _: unknown, ctx: Ctx) => (await ctx.loaders.accountById.load(r.accountId))?.kind === 'HOUSEHOLD_POOL',
};

export const householdResolvers = {
  __resolveReference: (ref: { id: string }) => ({ id: canonicalId(ref.id) }),
  /** Members of the household (by the ledger's copy of the users events), and staff. */
  pointsPool: async (h: { id: string }, _: unknown, ctx: Ctx) => {
    if (!isUuid(h.id)) return null;
    if (!isStaff(ctx.principal)) {
      const [me] = ctx.principal.sub && isUuid(ctx.principal.sub) ? await ctx.db.select().from(userCopies).where(eq(userCopies.userId, ctx.principal.sub)) : [];
      if (me?.householdId !== h.id) throw new LedgerError('FORBIDDEN', "Only the household's members see its pool");
    }
    const lots = await ctx.loaders.poolLots.load(h.id);
    return lots.filter((l) => l.availableAt <= ctx.now && l.expiresAt > ctx.now).reduce((s, l) => s + l.remaining, 0);
  },
};
