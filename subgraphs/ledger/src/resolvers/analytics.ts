import type { LedgerContext } from '../context.ts';
import { budgetUse, FLOWS, flowReport, membersByTier, outstanding, signOf, type FlowName, type FlowReport } from '../domain/analytics.ts';
import { settlementPositions, settlementTotals } from '../domain/settlement.ts';
import { TIERS, tierWindowStart } from '../domain/tier.ts';
import { LedgerError } from '../errors.ts';
import { createAnalyticsRepository } from '../repositories/analyticsRepository.ts';

/** What the analytics resolvers need besides the ledger's own context: the k-anonymity minimum. */
export interface AnalyticsContext extends LedgerContext {
  analyticsMinGroupSize: number;
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

/** Each grouped query runs once per request, however many figures a document asks for. */
const cache = new WeakMap<object, Map<string, Promise<unknown>>>();
function once<T>(ctx: AnalyticsContext, name: string, load: () => Promise<T>): Promise<T> {
  let mine = cache.get(ctx);
  if (!mine) cache.set(ctx, (mine = new Map()));
  if (!mine.has(name)) mine.set(name, load());
  return mine.get(name) as Promise<T>;
}

const repo = (ctx: AnalyticsContext) => createAnalyticsRepository(ctx.db);
const memberFlows = (ctx: AnalyticsContext) => once(ctx, 'flows', () => repo(ctx).memberFlows());

async function flow(ctx: AnalyticsContext, name: FlowName, asset: Asset): Promise<FlowReport> {
  const { type, sign } = FLOWS[name];
  return flowReport(await memberFlows(ctx), type, asset, sign, ctx.analyticsMinGroupSize);
}

/** Budget use is the sum of the flows that drew on it: their suppressions carry over. */
const budgets = (ctx: AnalyticsContext) =>
  once(ctx, 'budgets', async () => {
    const rows = await repo(ctx).budgets();
    const flows = await memberFlows(ctx);
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
    asOf: (_: AnalyticsRef, __: unknown, ctx: AnalyticsContext) => ctx.now,
    minGroupSize: (_: AnalyticsRef, __: unknown, ctx: AnalyticsContext) => ctx.analyticsMinGroupSize,
    issuance: flowField('issuance'),
    refunds: flowField('refunds'),
    redemption: flowField('redemption'),
    cancellations: flowField('cancellations'),
    breakage: flowField('breakage'),
    greenActivities: flowField('greenActivities'),
    outstanding: async (_: AnalyticsRef, __: unknown, ctx: AnalyticsContext) =>
      outstanding(await repo(ctx).outstanding(), await memberFlows(ctx), ctx.analyticsMinGroupSize),
    membersByTier: async (_: AnalyticsRef, __: unknown, ctx: AnalyticsContext) => {
      const rows = await repo(ctx).membersByTier(ctx.now, tierWindowStart(ctx.now));
      const { total, byTier } = membersByTier(rows, TIERS.map((t) => t.tier).reverse(), ctx.analyticsMinGroupSize);
      return { suppressed: total.suppressed, activeMembers: total.members, byTier };
    },
    budgets: (_: AnalyticsRef, __: unknown, ctx: AnalyticsContext) => budgets(ctx),
    settlementPositions: async (_: AnalyticsRef, __: unknown, ctx: AnalyticsContext) => {
      // A merchant's or a month's total that other figures publish is known: the table is
      // suppressed against those (domain/settlement.ts).
      const [cells, flows, budgetRows] = await Promise.all([
        repo(ctx).settlementCells(),
        Promise.all((['issuance', 'refunds', 'redemption', 'cancellations'] as const).map((name) => flow(ctx, name, 'POINTS'))),
        budgets(ctx),
      ]);
      const [issuance, refunds, redemption, cancellations] = flows as [FlowReport, FlowReport, FlowReport, FlowReport];
      const budgetShown = (merchantId: string) => !budgetRows.find((b) => b.merchantId === merchantId && b.asset === 'POINTS')?.suppressed;
      const known = settlementTotals({ issuance, refunds, redemption, cancellations }, budgetShown);
      return settlementPositions(cells, ctx.now.toISOString().slice(0, 7), ctx.analyticsMinGroupSize, known);
    },
  },
  MerchantFlow: { merchant: merchantRef },
  SettlementPosition: { merchant: (row: { merchantId: string }) => ({ id: row.merchantId }) },
  BudgetUse: { merchant: (row: { merchantId: string }) => ({ id: row.merchantId }) },
};
