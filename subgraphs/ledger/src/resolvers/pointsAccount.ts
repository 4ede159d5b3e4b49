import { DAY_MS, decodeCursor, hasCursorShape, isUuid, pageSize, toConnection } from '@greenpoints/common';
import type { LedgerContext } from '../context.ts';
import { badInput } from '../errors.ts';
import { TIERS, tierFor } from '../domain/tier.ts';

export interface PointsAccountParent {
  userId: string;
}

type Asset = 'POINTS' | 'GREEN_POINTS';

/** A forged cursor (any base64 JSON) must not reach SQL: `at` must be an instant, `id` a UUID. */
const isTxCursor = (v: unknown): v is { at: string; id: string } => {
  if (!hasCursorShape(v, ['at', 'id'])) return false;
  const { at, id } = v;
  return typeof at === 'string' && at.length <= 30 && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && isUuid(id);
};

async function lotsOf(parent: PointsAccountParent, ctx: LedgerContext, asset: Asset) {
  return (await ctx.loaders.openLots.load(parent.userId)).filter((l) => l.asset === asset && l.expiresAt > ctx.now);
}

export const pointsAccountResolvers = {
  balance: async (parent: PointsAccountParent, args: { asset: Asset }, ctx: LedgerContext) =>
    (await lotsOf(parent, ctx, args.asset)).filter((l) => l.availableAt <= ctx.now).reduce((s, l) => s + l.remaining, 0),
  pending: async (parent: PointsAccountParent, args: { asset: Asset }, ctx: LedgerContext) =>
    (await lotsOf(parent, ctx, args.asset)).filter((l) => l.availableAt > ctx.now).reduce((s, l) => s + l.remaining, 0),
  expiring: async (parent: PointsAccountParent, args: { withinDays: number }, ctx: LedgerContext) => {
    if (!Number.isInteger(args.withinDays) || args.withinDays < 0 || args.withinDays > 3650) {
      throw badInput('withinDays', 'withinDays must be between 0 and 3650');
    }
    const horizon = new Date(ctx.now.getTime() + args.withinDays * DAY_MS);
    return (await ctx.loaders.openLots.load(parent.userId))
      .filter((l) => l.expiresAt > ctx.now && l.expiresAt <= horizon)
      .map((l) => ({ asset: l.asset, amount: l.remaining, expiresAt: l.expiresAt }));
  },
  tier: async (parent: PointsAccountParent, _: unknown, ctx: LedgerContext) => tierFor(await ctx.loaders.tierSpend.load(parent.userId)).tier,
  /** Points owed after a refund of points already spent; later earnings settle it first. */
  pointsDebt: async (parent: PointsAccountParent, _: unknown, ctx: LedgerContext) =>
    (await ctx.loaders.userAccounts.load(parent.userId)).find((a) => a.asset === 'POINTS')?.debt ?? 0,
  tierProgress: async (parent: PointsAccountParent, _: unknown, ctx: LedgerContext) => {
    const spendMinor = await ctx.loaders.tierSpend.load(parent.userId);
    const { tier, multiplierPercent } = tierFor(spendMinor);
    const next = [...TIERS].reverse().find((t) => t.minSpendMinor > spendMinor);
    return { tier, multiplierPercent, spendMinor, nextTier: next?.tier ?? null, nextTierAtMinor: next?.minSpendMinor ?? null };
  },
  redemptions: async (parent: PointsAccountParent, args: { first?: number | null }, ctx: LedgerContext) =>
    (await ctx.loaders.redemptions.load(parent.userId)).slice(0, pageSize(args.first)),
  /** Open cases first, then the rest, newest first within each. */
  fraudCases: async (parent: PointsAccountParent, _: unknown, ctx: LedgerContext) => {
    const cases = await ctx.loaders.fraudCases.load(parent.userId);
    return [...cases.filter((c) => c.status === 'OPEN'), ...cases.filter((c) => c.status !== 'OPEN')].slice(0, 20);
  },
  frozen: async (parent: PointsAccountParent, _: unknown, ctx: LedgerContext) =>
    (await ctx.loaders.fraudCases.load(parent.userId)).some((c) => c.frozen && (c.status === 'OPEN' || c.status === 'CONFIRMED')),
  transactions: async (
    parent: PointsAccountParent,
    args: { first?: number | null; after?: string | null; types?: string[] | null },
    ctx: LedgerContext,
  ) => {
    const size = pageSize(args.first);
    const before = args.after ? decodeCursor(args.after, isTxCursor) : undefined;
    // A client may repeat an enum value thousands of times; there are only a few distinct types.
    const types = args.types ? [...new Set(args.types)] : undefined;
    const rows = await ctx.loaders.transactionPage.load({ userId: parent.userId, types, before, limit: size + 1 });
    // Each row carries whose history it is, so a transfer shows each side its own amount.
    const viewed = rows.map((t) => ({ ...t, viewerId: parent.userId }));
    return toConnection(viewed, size, (t) => ({ at: t.createdAt.toISOString(), id: t.id }), Boolean(before));
  },
};
