import { computeEarning, DEFAULT_POINTS_VALID_DAYS, lotDates } from '@greenpoints/ledger/domain/earning';
import { accountKey, budgetFundingPostings, purchasePostings, type AccountRef, type PostingDraft } from '@greenpoints/ledger/domain/postings';
import { tierFor, tierWindowStart } from '@greenpoints/ledger/domain/tier';
import { DAY_MS } from '@greenpoints/common';
import { ALLIANCE_GREEN_BUDGET_POINTS, GREEN_ORGANISERS, GREEN_PROFILES, INITIAL_BUDGET_POINTS, INITIAL_GREEN_BUDGET_POINTS, type MerchantSeed } from './catalog.ts';
import type { SeedUser } from './people.ts';
import type { Random } from './random.ts';

/**
 * Rows for the ledger schema (one batch of them), built with the ledger's own pure rules.
 * Green-impact's records are not here: they come from the PurchaseRecorded events the seed
 * publishes, as they would live.
 */
export interface LedgerRows {
  accounts: { id: string; kind: string; ownerId: string; asset: string; balance: number; createdAt: Date }[];
  transactions: { id: string; type: string; idempotencyKey: string; userId: string | null; merchantId: string | null; description: string; createdAt: Date }[];
  postings: { transactionId: string; accountId: string; asset: string; amount: number }[];
  lots: { id: string; accountId: string; transactionId: string; asset: string; amount: number; remaining: number; availableAt: Date; expiresAt: Date }[];
  purchases: { id: string; transactionId: string; userId: string; merchantId: string; amountMinor: number; earnRuleVersion: number; tier: string; points: number; greenPoints: number; requestHash: string; occurredAt: Date }[];
  purchaseLines: { purchaseId: string; lineNo: number; sku: string; quantity: number; unitPriceMinor: number; greenPoints: number }[];
}

interface Purchase {
  user: SeedUser;
  merchant: MerchantSeed & { id: string };
  occurredAt: Date;
  lines: { sku: string; quantity: number; unitPriceMinor: number }[];
}

function planPurchases(random: Random, users: SeedUser[], merchants: (MerchantSeed & { id: string })[], now: Date): Purchase[] {
  const appliances = merchants.find((m) => m.key === 'appliances');
  const plans: Purchase[] = [];
  users.forEach((user, index) => {
    const count = index === 0 ? 14 : random.int(2, 14);
    for (let n = 0; n < count; n++) {
      // The demo consumer's first purchases are green, and one is recent enough to still be pending.
      const merchant = index === 0 && n < 3 && appliances ? appliances : random.pick(merchants);
      const daysAgo = index === 0 && n === 0 ? 2 : random.int(0, 360);
      const occurredAt = new Date(now.getTime() - daysAgo * DAY_MS - random.int(0, 86_399) * 1000);
      const lines = Array.from({ length: random.int(1, 3) }, () => {
        const product = random.pick(merchant.products);
        return { sku: product.sku, quantity: product.priceMinor > 100_000 ? 1 : random.int(1, 3), unitPriceMinor: product.priceMinor };
      });
      if (index === 0 && n < 3) lines[0] = { sku: ['APP-LED-9W', 'APP-SHOWER-WS', 'APP-AERATOR'][n] ?? 'APP-LED-9W', quantity: 2, unitPriceMinor: 1_290 };
      plans.push({ user, merchant, occurredAt, lines });
    }
  });
  return plans.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}

/** An account as the generator keeps it: its balance so far, and the balance last handed out in a batch. */
type SeedAccount = LedgerRows['accounts'][number] & { emitted: number | null };

/** What the history leaves to write after its last batch: accounts whose balance moved since their batch. */
export interface HistoryEnd {
  balances: { id: string; balance: number }[];
}

/**
 * The ledger's history, yielded in batches of about `purchasesPerBatch` purchases (in time order) so
 * a large seed never holds it all: each batch carries the accounts first seen in it (balance as of
 * the batch's end), and the end returns the accounts whose balance moved afterwards. The random draws
 * are the same whatever the batch size, so every batch size writes the same rows.
 */
export function* generateHistory(
  random: Random,
  users: SeedUser[],
  merchants: (MerchantSeed & { id: string })[],
  now: Date,
  purchasesPerBatch = Number.MAX_SAFE_INTEGER,
): Generator<LedgerRows, HistoryEnd> {
  const empty = (): LedgerRows => ({ accounts: [], transactions: [], postings: [], lots: [], purchases: [], purchaseLines: [] });
  let rows = empty();
  const accountIds = new Map<string, SeedAccount>();
  const fresh: SeedAccount[] = [];
  const start = new Date(now.getTime() - 400 * DAY_MS);
  const account = (ref: AccountRef) => {
    const key = accountKey(ref);
    let found = accountIds.get(key);
    if (!found) {
      found = { id: random.uuid(), ...ref, balance: 0, createdAt: start, emitted: null };
      accountIds.set(key, found);
      fresh.push(found);
    }
    return found;
  };
  const post = (transactionId: string, drafts: PostingDraft[]) => {
    for (const d of drafts) {
      const a = account(d.account);
      a.balance += d.amount;
      rows.postings.push({ transactionId, accountId: a.id, asset: d.account.asset, amount: d.amount });
    }
  };
  /** The batch so far, with its new accounts as they stand now; the next batch starts empty. */
  const cut = (): LedgerRows => {
    const batch = rows;
    batch.accounts = fresh.splice(0).map((a) => {
      a.emitted = a.balance;
      const { emitted: _emitted, ...row } = a;
      return row;
    });
    rows = empty();
    return batch;
  };

  // Every point issued is funded, dated before any purchase: each merchant's points budget, and
  // (below, after the purchases so they keep their random draws) the green budgets.
  const fund = (funder: string | null, points: number, asset: 'POINTS' | 'GREEN_POINTS', label = '') => {
    const id = random.uuid();
    const description = asset === 'POINTS' ? 'Issuance budget funded' : 'Green budget funded';
    rows.transactions.push({ id, type: 'BUDGET_FUNDING', idempotencyKey: `seed:funding:${funder ?? 'alliance'}:${asset}${label}`, userId: null, merchantId: funder, description, createdAt: start });
    post(id, budgetFundingPostings(funder, points, asset));
  };
  for (const merchant of merchants) fund(merchant.id, INITIAL_BUDGET_POINTS, 'POINTS');

  /** What each merchant's history issues, so its budget is funded for all of it (below). */
  const issued = new Map<string, { points: number; greenPoints: number }>();
  const greenRates = new Map(GREEN_PROFILES.map((p) => [p.sku, p.greenPointsPerUnit]));
  const spendLog = new Map<string, { at: number; amount: number }[]>();
  for (const plan of planPurchases(random, users, merchants, now)) {
    const amountMinor = plan.lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
    const history = spendLog.get(plan.user.id) ?? [];
    const windowStart = tierWindowStart(plan.occurredAt).getTime();
    const { tier, multiplierPercent } = tierFor(history.filter((h) => h.at >= windowStart).reduce((s, h) => s + h.amount, 0));
    const rule = { version: 1, categoryPointsPerYuan: {}, pointsValidDays: DEFAULT_POINTS_VALID_DAYS, ...plan.merchant.rule };
    const earning = computeEarning({
      amountMinor,
      rule,
      earner: { tier, tierMultiplierPercent: multiplierPercent, ageBand: null },
      lines: plan.lines,
      categoryOf: new Map(),
      greenPointsPerUnit: greenRates,
      promotions: [],
    });
    const byMerchant = issued.get(plan.merchant.id) ?? { points: 0, greenPoints: 0 };
    byMerchant.points += earning.points;
    byMerchant.greenPoints += earning.greenPoints;
    issued.set(plan.merchant.id, byMerchant);
    const transactionId = random.uuid();
    const purchaseId = random.uuid();
    rows.transactions.push({ id: transactionId, type: 'PURCHASE_EARN', idempotencyKey: `seed:purchase:${purchaseId}`, userId: plan.user.id, merchantId: plan.merchant.id, description: 'Purchase', createdAt: plan.occurredAt });
    const drafts = purchasePostings(plan.user.id, plan.merchant.id, earning.points, earning.greenPoints);
    post(transactionId, drafts);
    const { availableAt, expiresAt } = lotDates(plan.occurredAt, rule.pendingDays, rule.pointsValidDays);
    for (const d of drafts.filter((x) => x.account.kind === 'USER')) {
      rows.lots.push({ id: random.uuid(), accountId: account(d.account).id, transactionId, asset: d.account.asset, amount: d.amount, remaining: d.amount, availableAt, expiresAt });
    }
    rows.purchases.push({ id: purchaseId, transactionId, userId: plan.user.id, merchantId: plan.merchant.id, amountMinor, earnRuleVersion: 1, tier, points: earning.points, greenPoints: earning.greenPoints, requestHash: 'seed', occurredAt: plan.occurredAt });
    earning.lines.forEach((line, i) => rows.purchaseLines.push({ purchaseId, lineNo: i + 1, ...line }));
    history.push({ at: plan.occurredAt.getTime(), amount: amountMinor });
    spendLog.set(plan.user.id, history);
    if (rows.purchases.length >= purchasesPerBatch) yield cut();
  }

  // The history's funding and the green budgets, last so the purchases above keep their random draws:
  // the points each merchant's purchases issued; the alliance's own green budget (for
  // the green activities it organises), and one for each merchant that sells green products (their
  // green points are charged to it) or organises green activities. Others have none, so the ledger
  // refuses their green issuance (BUDGET_EXHAUSTED) until they fund one.
  // Each is funded for the history it issued on top of its initial block, so issuance never outran
  // funding whatever the seed's size (a fixed block went negative past a few thousand users), and every
  // merchant is left with its initial block to issue from.
  const greenSkus = new Set(GREEN_PROFILES.map((p) => p.sku));
  fund(null, ALLIANCE_GREEN_BUDGET_POINTS, 'GREEN_POINTS');
  for (const m of merchants) {
    const history = issued.get(m.id) ?? { points: 0, greenPoints: 0 };
    if (history.points > 0) fund(m.id, history.points, 'POINTS', ':history');
    if (GREEN_ORGANISERS.includes(m.key) || m.products.some((p) => greenSkus.has(p.sku))) fund(m.id, INITIAL_GREEN_BUDGET_POINTS + history.greenPoints, 'GREEN_POINTS');
  }
  yield cut();
  const balances = [...accountIds.values()].filter((a) => a.emitted !== a.balance).map((a) => ({ id: a.id, balance: a.balance }));
  return { balances };
}
