import { crossingIsConnected, suppressNested, suppressPartition } from '@greenpoints/common';

/**
 * The analysts' aggregates, assembled from grouped rows (repositories/analyticsRepository.ts) and
 * made k-anonymous (common/src/kAnonymity.ts). Pure: unit-tested beside it.
 */

/**
 * Accounts that hold members' points: what a flow's figure is the net change of. Points on hold for
 * a redemption are still the member's until the redemption is posted (or voided back).
 */
export const MEMBER_KINDS = ['USER', 'HOUSEHOLD_POOL', 'HOLD'] as const;

export type GroupLevel = 'cell' | 'merchant' | 'category' | 'month' | 'total';

/** One grouped row: the net change of members' accounts in one group of one transaction type and asset. */
export interface FlowGroupRow {
  type: string;
  asset: string;
  merchantId: string | null;
  category: string | null;
  month: string | null;
  level: GroupLevel;
  amount: number;
  transactions: number;
  /** Distinct people behind the group (k-anonymity counts these). */
  people: number;
}

/**
 * The flows analysts see, by transaction type, and the sign that makes each figure positive (a
 * refund takes points from members, so its net member change is negative).
 */
export const FLOWS = {
  issuance: { type: 'PURCHASE_EARN', sign: 1 },
  refunds: { type: 'REFUND', sign: -1 },
  // A redemption holds points (REDEMPTION: to the member's HOLD account, no change for members), then
  // posts them to the merchant (REDEMPTION_POST) or voids the hold: posted redemptions are what counts.
  redemption: { type: 'REDEMPTION_POST', sign: -1 },
  cancellations: { type: 'REDEMPTION_CANCEL', sign: 1 },
  breakage: { type: 'EXPIRY', sign: -1 },
  greenActivities: { type: 'GREEN_ACTIVITY', sign: 1 },
} as const;
export type FlowName = keyof typeof FLOWS;

/** The sign that makes a type's net member change positive: issuance-like types credit members. */
export const signOf = (type: string): number => Object.values(FLOWS).find((f) => f.type === type)?.sign ?? 1;

/** A published figure, or a suppressed one: every number null, only the fact of suppression shown. */
export interface Figures {
  suppressed: boolean;
  members: number | null;
  transactions: number | null;
  points: number | null;
}

export interface FlowReport {
  transactionType: string;
  asset: string;
  total: Figures;
  byMerchant: (Figures & { merchantId: string | null; category: string | null })[];
  byCategory: (Figures & { category: string | null })[];
  byMonth: (Figures & { month: string })[];
}

/**
 * A group behind fewer than k people is too small. A group with postings but no person counted (a
 * household pool's movement with no acting user) counts as too small too: someone is behind it.
 */
export const tooSmall = (people: number, k: number) => people < k;

const SUPPRESSED: Figures = { suppressed: true, members: null, transactions: null, points: null };
const figures = (row: FlowGroupRow, sign: number, hidden: boolean): Figures =>
  hidden ? SUPPRESSED : { suppressed: false, members: row.people, transactions: row.transactions, points: sign * row.amount };

/** Null keys (a transaction at no merchant, a merchant of unknown category) as map keys and back. */
const key = (v: string | null) => v ?? '';
const byKey = (a: { k: string }, b: { k: string }) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0);

/**
 * One flow (transaction type × asset) by merchant, by category and by month, suppressed so that no
 * figure, and no difference of figures, covers fewer than k people. Rows are ordered by key, never by
 * amount, so the order of suppressed rows reveals nothing either.
 */
export function flowReport(rows: readonly FlowGroupRow[], type: string, asset: string, sign: number, k: number): FlowReport {
  const mine = rows.filter((r) => r.type === type && r.asset === asset);
  const at = (level: GroupLevel) => mine.filter((r) => r.level === level);
  const total = at('total')[0];
  if (!total) {
    return { transactionType: type, asset, total: { suppressed: false, members: 0, transactions: 0, points: 0 }, byMerchant: [], byCategory: [], byMonth: [] };
  }
  const merchants = at('merchant');
  const categories = at('category');
  const months = at('month');
  const everything = tooSmall(total.people, k);
  const nested = suppressNested(
    {
      children: new Map(merchants.map((r) => [key(r.merchantId), { size: r.people, parent: key(r.category) }])),
      parents: new Map(categories.map((r) => [key(r.category), r.people])),
    },
    k,
  );
  // Months cross merchants; if they split into islands, an island's sum is known from both sides.
  const linked = crossingIsConnected(at('cell').map((r) => [key(r.merchantId), r.month ?? ''] as const));
  const hiddenMonths = linked ? suppressPartition(new Map(months.map((r) => [r.month ?? '', r.people])), k) : new Set(months.map((r) => r.month ?? ''));
  return {
    transactionType: type,
    asset,
    total: figures(total, sign, everything),
    byMerchant: merchants
      .map((r) => ({ k: key(r.merchantId), merchantId: r.merchantId, category: r.category, ...figures(r, sign, everything || nested.children.has(key(r.merchantId))) }))
      .sort(byKey)
      .map(({ k: _, ...r }) => r),
    byCategory: categories
      .map((r) => ({ k: key(r.category), category: r.category, ...figures(r, sign, everything || nested.parents.has(key(r.category))) }))
      .sort(byKey)
      .map(({ k: _, ...r }) => r),
    byMonth: months
      .map((r) => ({ k: r.month ?? '', month: r.month ?? '', ...figures(r, sign, everything || hiddenMonths.has(r.month ?? '')) }))
      .sort(byKey)
      .map(({ k: _, ...r }) => r),
  };
}

export interface OutstandingRow {
  asset: string;
  points: number;
  people: number;
}

/**
 * Points held by members per asset. Held points are the sum of every flow's net change, so they
 * are shown only when every transaction type that changed members' holdings of that asset covers k
 * people: otherwise held points minus the shown flows would reveal a small one.
 */
export function outstanding(rows: readonly OutstandingRow[], flows: readonly FlowGroupRow[], k: number) {
  return rows.map((r) => {
    const linkedSmall = flows.some((f) => f.level === 'total' && f.asset === r.asset && f.amount !== 0 && tooSmall(f.people, k));
    const hidden = tooSmall(r.people, k) || linkedSmall;
    return { asset: r.asset, suppressed: hidden, members: hidden ? null : r.people, points: hidden ? null : r.points };
  });
}

export interface BudgetRow {
  merchantId: string;
  asset: string;
  funded: number;
  used: number;
  people: number;
  /** Transaction types that drew on or returned to the budget (purchases, green activities, refunds…). */
  types: readonly string[] | null;
}

/**
 * Budget use per merchant and asset. Funding is the merchant's own act and always shown; what was
 * used is a sum over the people it went to, and equals the merchant's rows in the flows that drew
 * on it (issuance, green activities, less refunds, plus compensation), so it is suppressed whenever
 * one of those rows is, and with a second budget when the sum of all budgets (the flows' totals)
 * would reveal it. `reports` holds the flow of every type named in the rows' `types`.
 */
export function budgetUse(rows: readonly BudgetRow[], reports: readonly FlowReport[], k: number) {
  const assets = [...new Set(rows.map((r) => r.asset))];
  const hidden = new Map<string, Set<string>>();
  const hiddenIn = (type: string, asset: string, merchantId: string) =>
    reports.some((rep) => rep.transactionType === type && rep.asset === asset && rep.byMerchant.some((m) => m.merchantId === merchantId && m.suppressed));
  for (const asset of assets) {
    const forced = rows.filter((r) => r.asset === asset && (r.types ?? []).some((type) => hiddenIn(type, asset, r.merchantId))).map((r) => r.merchantId);
    // A budget nothing left describes no one and stays out of the partition.
    const sizes = new Map(rows.filter((r) => r.asset === asset && (r.used !== 0 || r.people > 0)).map((r) => [r.merchantId, r.people]));
    hidden.set(asset, suppressPartition(sizes, k, forced));
  }
  return rows
    .map((r) => {
      const suppressed = hidden.get(r.asset)?.has(r.merchantId) ?? false;
      return {
        merchantId: r.merchantId,
        asset: r.asset,
        funded: r.funded,
        suppressed,
        members: suppressed ? null : r.people,
        used: suppressed ? null : r.used,
        remaining: suppressed ? null : r.funded - r.used,
        usedShare: suppressed || r.funded === 0 ? null : r.used / r.funded,
      };
    })
    .sort((a, b) => (a.merchantId + a.asset < b.merchantId + b.asset ? -1 : 1));
}

/** Active members per tier (every tier listed, in tier order); a small tier is suppressed with a second. */
export function membersByTier(rows: readonly { tier: string; people: number }[], tiers: readonly string[], k: number) {
  const counts = new Map(tiers.map((t) => [t, rows.find((r) => r.tier === t)?.people ?? 0]));
  const hidden = suppressPartition(new Map([...counts].filter(([, n]) => n > 0)), k);
  const total = [...counts.values()].reduce((s, n) => s + n, 0);
  return {
    total: tooSmall(total, k) ? { suppressed: true, members: null } : { suppressed: false, members: total },
    byTier: tiers.map((tier) => (hidden.has(tier) ? { tier, suppressed: true, members: null } : { tier, suppressed: false, members: counts.get(tier)! })),
  };
}
