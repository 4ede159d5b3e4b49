import { createSharedCache } from '@greenpoints/common';
import type { Executor } from '@greenpoints/db';
import type { LedgerContext } from '../context.ts';
import { budgetUse, FLOWS, flowReport, membersByTier, outstanding, signOf, type FlowGroupRow, type FlowName, type FlowReport } from '../domain/analytics.ts';
import { settlementPositions, settlementTotals, type SettlementCellRow } from '../domain/settlement.ts';
import { TIERS, tierWindowStart } from '../domain/tier.ts';
import { LedgerError } from '../errors.ts';
import { createAnalyticsRepository, type AnalyticsRepository } from '../repositories/analyticsRepository.ts';

/** Every figure's rows, read together at one moment (`at`): what all figures of one answer come from. */
export interface AnalyticsSnapshot {
  at: Date;
  flows: FlowGroupRow[];
  outstanding: Awaited<ReturnType<AnalyticsRepository['outstanding']>>;
  budgets: Awaited<ReturnType<AnalyticsRepository['budgets']>>;
  tiers: Awaited<ReturnType<AnalyticsRepository['membersByTier']>>;
  settlementCells: SettlementCellRow[];
}

/**
 * The grouped queries over all history, run together. Each is a pass over the ledger (seconds at
 * 200,000 users), so a server shares one snapshot among the requests that ask at the same moment
 * and reuses it for ANALYTICS_CACHE_TTL_MS; `asOf` says when it was read.
 */
export function analyticsSnapshots(db: Executor, ttlMs: number) {
  const cache = createSharedCache<Omit<AnalyticsSnapshot, 'at'>>({ ttlMs, maxEntries: 1 });
  return async (): Promise<AnalyticsSnapshot> => {
    const { at, value } = await cache.get(ALLIANCE_SCOPE, async (now) => {
      const repo = createAnalyticsRepository(db);
      const [flows, outstanding, budgets, tiers, settlementCells] = await Promise.all([
        repo.memberFlows(),
        repo.outstanding(),
        repo.budgets(),
        repo.membersByTier(now, tierWindowStart(now)),
        repo.settlementCells(),
      ]);
      return { flows, outstanding, budgets, tiers, settlementCells };
    });
    return { at, ...value };
  };
}

/** What the analytics resolvers need besides the ledger's own context: the k-anonymity minimum and the snapshot. */
export interface AnalyticsContext extends LedgerContext {
  analyticsMinGroupSize: number;
  analyticsSnapshot: () => Promise<AnalyticsSnapshot>;
}

type Asset = 'POINTS' | 'GREEN_POINTS';
type AnalyticsRef = { scope: string };

/** The one scope there is: the whole alliance. */
export const ALLIANCE_SCOPE = 'alliance';

/** The gateway lets only analysts and admins in; the subgraph checks again (no way around the gateway's rule). */
function authorize(ctx: AnalyticsContext): void {
  if (ctx.principal.role !== 'analyst' && ctx.principal.role !== 'admin') {
    throw new LedgerError('FORBIDDEN', 'Analytics are for analysts and admins');
  }
}

/** Figures derived from the snapshot are worked out once per request, however many a document asks for. */
const derived = new WeakMap<object, Map<string, Promise<unknown>>>();
function once<T>(ctx: AnalyticsContext, name: string, load: () => Promise<T>): Promise<T> {
  let mine = derived.get(ctx);
  if (!mine) derived.set(ctx, (mine = new Map()));
  if (!mine.has(name)) mine.set(name, load());
  return mine.get(name) as Promise<T>;
}

const snapshot = (ctx: AnalyticsContext) => once(ctx, 'snapshot', () => ctx.analyticsSnapshot());

async function flow(ctx: AnalyticsContext, name: FlowName, asset: Asset): Promise<FlowReport> {
  const { type, sign } = FLOWS[name];
  return flowReport((await snapshot(ctx)).flows, type, asset, sign, ctx.analyticsMinGroupSize);
}

/** Budget use is the sum of the flows that drew on it: their suppressions carry over. */
const budgets = (ctx: AnalyticsContext) =>
  once(ctx, 'budgets', async () => {
    const { budgets: rows, flows } = await snapshot(ctx);
    const linked = [...new Set(rows.flatMap((r) => (r.types ?? []).map((type) => `${type}:${r.asset}`)))].map((pair) => {
      const [type, asset] = pair.split(':') as [string, string];
      return flowReport(flows, type, asset, signOf(type), ctx.analyticsMinGroupSize);
    });
    return budgetUse(rows, linked, ctx.analyticsMinGroupSize);
  });

const flowField = (name: FlowName) => (_: AnalyticsRef, args: { asset: Asset }, ctx: AnalyticsContext) => flow(ctx, name, args.asset);

const merchantRef = (row: { merchantId: string | null }) => (row.merchantId ? { id: row.merchantId } : null);

export const analyticsResolvers = {
  Query: {
    analytics: (_: unknown, __: unknown, ctx: AnalyticsContext): AnalyticsRef => {
      authorize(ctx);
      return { scope: ALLIANCE_SCOPE };
    },
  },
  Analytics: {
    __resolveReference: (ref: AnalyticsRef, ctx: AnalyticsContext): AnalyticsRef => {
      authorize(ctx);
      return { scope: ref.scope };
    },
    asOf: async (_: AnalyticsRef, __: unknown, ctx: AnalyticsContext) => (await snapshot(ctx)).at,
    minGroupSize: (_: AnalyticsRef, __: unknown, ctx: AnalyticsContext) => ctx.analyticsMinGroupSize,
    issuance: flowField('issuance'),
    refunds: flowField('refunds'),
    redemption: flowField('redemption'),
    cancellations: flowField('cancellations'),
    breakage: flowField('breakage'),
    greenActivities: flowField('greenActivities'),
    outstanding: async (_: AnalyticsRef, __: unknown, ctx: AnalyticsContext) => {
      const { outstanding: rows, flows } = await snapshot(ctx);
      return outstanding(rows, flows, ctx.analyticsMinGroupSize);
    },
    membersByTier: async (_: AnalyticsRef, __: unknown, ctx: AnalyticsContext) => {
      const { total, byTier } = membersByTier((await snapshot(ctx)).tiers, TIERS.map((t) => t.tier).reverse(), ctx.analyticsMinGroupSize);
      return { suppressed: total.suppressed, activeMembers: total.members, byTier };
    },
    budgets: (_: AnalyticsRef, __: unknown, ctx: AnalyticsContext) => budgets(ctx),
    settlementPositions: async (_: AnalyticsRef, __: unknown, ctx: AnalyticsContext) => {
      // A merchant's or a month's total that other figures publish is known: the table is
      // suppressed against those (domain/settlement.ts).
      const [{ settlementCells: cells, at }, flows, budgetRows] = await Promise.all([
        snapshot(ctx),
        Promise.all((['issuance', 'refunds', 'redemption', 'cancellations'] as const).map((name) => flow(ctx, name, 'POINTS'))),
        budgets(ctx),
      ]);
      const [issuance, refunds, redemption, cancellations] = flows as [FlowReport, FlowReport, FlowReport, FlowReport];
      const budgetShown = (merchantId: string) => !budgetRows.find((b) => b.merchantId === merchantId && b.asset === 'POINTS')?.suppressed;
      const known = settlementTotals({ issuance, refunds, redemption, cancellations }, budgetShown);
      return settlementPositions(cells, at.toISOString().slice(0, 7), ctx.analyticsMinGroupSize, known);
    },
  },
  MerchantFlow: { merchant: merchantRef },
  SettlementPosition: { merchant: (row: { merchantId: string }) => ({ id: row.merchantId }) },
  BudgetUse: { merchant: (row: { merchantId: string }) => ({ id: row.merchantId }) },
};
