import { tierFor } from '@greenpoints/ledger/domain/tier';
import { DEFAULT_POLICY } from '@greenpoints/ledger/policy';

/**
 * The in-memory model that the ledger's property test holds the real ledger to: one household's
 * accounts as lots (amount, remaining, availableAt, expiresAt) with their debts, spent
 * first-expiring-first, and the purchases and redemptions the test made. It knows nothing of SQL;
 * after each operation the test gives it the ids of the lots the ledger created (lots are told apart
 * by id only where two expire at the same instant) and compares every lot, debt and balance.
 */

export const DAY_MS = 86_400_000;
/** Tiers come from the trailing year's spend. */
const TIER_WINDOW_MS = 365 * DAY_MS;

export type Asset = 'POINTS' | 'GREEN_POINTS';

export interface MLot {
  /** Null until the test learns the id the ledger gave a lot this operation created. */
  id: string | null;
  account: string;
  transactionId: string | null;
  amount: number;
  remaining: number;
  availableAt: number;
  expiresAt: number;
}

export interface Rule {
  pointsPerYuan: number;
  pendingDays: number;
  perOrderCap: number | null;
  /** Days the lots it issues stay valid. */
  validDays: number;
}

export interface MLine {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  greenPoints: number;
  refundedQuantity: number;
}

export interface MPurchase {
  id: string;
  transactionId: string;
  userId: string;
  merchantId: string;
  amountMinor: number;
  refundedMinor: number;
  points: number;
  greenPoints: number;
  lines: MLine[];
  occurredAt: number;
}

export interface MRedemption {
  id: string;
  userId: string;
  merchantId: string;
  source: string;
  points: number;
  status: 'HELD' | 'POSTED' | 'VOIDED' | 'CANCELLED';
  taken: { availableAt: number; expiresAt: number; amount: number }[];
  createdAt: number;
  cancelBody?: string;
}

/** A refusal the model predicts, by the ledger's error code; the model's state is left as it was. */
export class Refusal extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** What the household held and what moved in and out, per asset, for the conservation check. */
export interface Flows {
  earned: number;
  refunded: number;
  redeemed: number;
  compensated: number;
  expired: number;
  clawedBack: number;
}

const share = (total: number, part: number, whole: number) => (whole === 0 ? 0 : Math.floor((total * part) / whole));
const byExpiry = (a: MLot, b: MLot) => a.expiresAt - b.expiresAt || (a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0);
const newFlows = (): Flows => ({ earned: 0, refunded: 0, redeemed: 0, compensated: 0, expired: 0, clawedBack: 0 });

export const userKey = (userId: string, asset: Asset = 'POINTS') => `USER:${userId}:${asset}`;
export const poolKey = (householdId: string) => `HOUSEHOLD_POOL:${householdId}:POINTS`;
export const assetOf = (key: string): Asset => (key.endsWith(':GREEN_POINTS') ? 'GREEN_POINTS' : 'POINTS');

export class LedgerModel {
  now = 0;
  lots: MLot[] = [];
  readonly debt = new Map<string, number>();
  readonly hold = new Map<string, number>();
  readonly purchases: MPurchase[] = [];
  readonly redemptions: MRedemption[] = [];
  /** Trailing spend that decides tiers: the seeded purchases' net amounts and this run's purchases. */
  readonly spend: { userId: string; at: number; net: () => number }[] = [];
  /** Open or confirmed cases that froze each user's account. */
  readonly frozen = new Map<string, Set<string>>();
  readonly flows = { POINTS: newFlows(), GREEN_POINTS: newFlows() };
  /** Debt settled by later credits (for the test's coverage check). */
  settledDebt = 0;

  constructor(
    readonly householdId: string,
    readonly members: string[],
    private readonly rules: ReadonlyMap<string, Rule>,
    private readonly greenRates: ReadonlyMap<string, number>,
  ) {}

  get accounts(): string[] {
    return [...this.members.flatMap((u) => [userKey(u), userKey(u, 'GREEN_POINTS')]), poolKey(this.householdId)];
  }

  isFrozen(userId: string): boolean {
    return (this.frozen.get(userId)?.size ?? 0) > 0;
  }

  holdings(asset: Asset): number {
    const lots = this.lots.filter((l) => assetOf(l.account) === asset).reduce((s, l) => s + l.remaining, 0);
    const debt = [...this.debt].filter(([k]) => assetOf(k) === asset).reduce((s, [, d]) => s + d, 0);
    const held = asset === 'POINTS' ? [...this.hold.values()].reduce((s, h) => s + h, 0) : 0;
    return lots - debt + held;
  }

  balance(account: string): number {
    return this.lots.filter((l) => l.account === account).reduce((s, l) => s + l.remaining, 0) - (this.debt.get(account) ?? 0);
  }

  /** Points spendable now (available, not expired) and still pending, as PointsAccount shows them. */
  availableAndPending(account: string): { available: number; pending: number } {
    const live = this.lots.filter((l) => l.account === account && l.remaining > 0 && l.expiresAt > this.now);
    return {
      available: live.filter((l) => l.availableAt <= this.now).reduce((s, l) => s + l.remaining, 0),
      pending: live.filter((l) => l.availableAt > this.now).reduce((s, l) => s + l.remaining, 0),
    };
  }

  /** The one spend routine, as the ledger specifies it: lots first-expiring-first, all or nothing unless partial. */
  take(account: string, amount: number, opts: { includePending?: boolean; expiredOnly?: boolean; includeLapsed?: boolean; only?: (l: MLot) => boolean; partial?: boolean } = {}) {
    if (this.lots.some((l) => l.id === null)) throw new Error('model: lots created by this operation are not reconciled yet');
    const open = this.lots
      .filter((l) => l.account === account && l.remaining > 0)
      .filter((l) => (opts.expiredOnly ? l.expiresAt <= this.now : opts.includeLapsed || l.expiresAt > this.now))
      .filter((l) => opts.includePending || opts.expiredOnly || l.availableAt <= this.now)
      .filter((l) => !opts.only || opts.only(l))
      .sort(byExpiry);
    const taken: { lot: MLot; amount: number }[] = [];
    if (amount <= 0) return taken;
    let left = amount;
    for (const lot of open) {
      if (left === 0) break;
      const n = Math.min(left, lot.remaining);
      taken.push({ lot, amount: n });
      left -= n;
    }
    if (left > 0 && !opts.partial) throw new Refusal('INSUFFICIENT_POINTS');
    for (const t of taken) t.lot.remaining -= t.amount;
    return taken;
  }

  /**
   * New lots on an account; a recorded debt is settled first, from the earliest-expiring new lot
   * that has not lapsed (a lapsed lot put back goes to breakage, not to the debt).
   */
  credit(account: string, credits: { amount: number; availableAt: number; expiresAt: number }[]): void {
    let debt = this.debt.get(account) ?? 0;
    for (const c of credits.filter((x) => x.amount > 0).sort((a, b) => a.expiresAt - b.expiresAt)) {
      const settle = c.expiresAt > this.now ? Math.min(debt, c.amount) : 0;
      debt -= settle;
      this.settledDebt += settle;
      this.lots.push({ id: null, account, transactionId: null, amount: c.amount, remaining: c.amount - settle, availableAt: c.availableAt, expiresAt: c.expiresAt });
    }
    this.debt.set(account, debt);
  }

  earn(userId: string, merchantId: string, amountMinor: number, lines: { sku: string; quantity: number; unitPriceMinor: number }[], occurredAt: number) {
    if (occurredAt < this.now - DEFAULT_POLICY.purchaseWindowDays * DAY_MS) throw new Refusal('PURCHASE_OUT_OF_WINDOW');
    const rule = this.rules.get(merchantId)!;
    const since = occurredAt - TIER_WINDOW_MS;
    const { tier, multiplierPercent } = tierFor(this.spend.filter((s) => s.userId === userId && s.at >= since).reduce((sum, s) => sum + s.net(), 0));
    const multiplied = Math.floor((Math.floor((amountMinor * rule.pointsPerYuan) / 100) * multiplierPercent) / 100);
    const points = rule.perOrderCap === null ? multiplied : Math.min(multiplied, rule.perOrderCap);
    let greenLeft = DEFAULT_POLICY.greenPointsPerOrderCap;
    const mlines = lines.map((l) => {
      const greenPoints = Math.min((this.greenRates.get(l.sku) ?? 0) * l.quantity, greenLeft);
      greenLeft -= greenPoints;
      return { ...l, greenPoints, refundedQuantity: 0 };
    });
    const greenPoints = mlines.reduce((s, l) => s + l.greenPoints, 0);
    const dates = { availableAt: occurredAt + rule.pendingDays * DAY_MS, expiresAt: occurredAt + rule.validDays * DAY_MS };
    this.credit(userKey(userId), [{ amount: points, ...dates }]);
    this.credit(userKey(userId, 'GREEN_POINTS'), [{ amount: greenPoints, ...dates }]);
    this.flows.POINTS.earned += points;
    this.flows.GREEN_POINTS.earned += greenPoints;
    const purchase: MPurchase = { id: '', transactionId: '', userId, merchantId, amountMinor, refundedMinor: 0, points, greenPoints, lines: mlines, occurredAt };
    this.purchases.push(purchase);
    this.spend.push({ userId, at: occurredAt, net: () => purchase.amountMinor - purchase.refundedMinor });
    return { purchase, tier };
  }

  /** Which units of which lines a refund covers, and its amount, or the refusal the ledger gives. */
  private refundPlan(p: MPurchase, amount: number | null, lines: { sku: string; quantity: number }[] | null) {
    const remainingMinor = p.amountMinor - p.refundedMinor;
    const taken = new Map<number, number>();
    if (lines?.length) {
      for (const want of lines) {
        let left = want.quantity;
        p.lines.forEach((l, i) => {
          if (l.sku !== want.sku) return;
          const take = Math.min(l.quantity - l.refundedQuantity - (taken.get(i) ?? 0), left);
          if (take > 0) taken.set(i, (taken.get(i) ?? 0) + take);
          left -= take;
        });
        if (left > 0) throw new Refusal('REFUND_EXCEEDS_PURCHASE');
      }
    } else if (amount === null || amount === remainingMinor) {
      p.lines.forEach((l, i) => l.quantity > l.refundedQuantity && taken.set(i, l.quantity - l.refundedQuantity));
    } else if (p.lines.some((l) => l.greenPoints > 0)) {
      throw new Refusal('BAD_USER_INPUT');
    }
    const linesValue = [...taken].reduce((s, [i, q]) => s + q * p.lines[i]!.unitPriceMinor, 0);
    const refundMinor = lines?.length ? linesValue : (amount ?? remainingMinor);
    if (refundMinor <= 0 || refundMinor > remainingMinor) throw new Refusal('REFUND_EXCEEDS_PURCHASE');
    return { taken, refundMinor };
  }

  refund(p: MPurchase, amount: number | null, lines: { sku: string; quantity: number }[] | null) {
    const { taken, refundMinor } = this.refundPlan(p, amount, lines);
    const after = p.refundedMinor + refundMinor;
    const points = share(p.points, after, p.amountMinor) - share(p.points, p.refundedMinor, p.amountMinor);
    const greenPoints = [...taken].reduce((s, [i, q]) => {
      const l = p.lines[i]!;
      return s + share(l.greenPoints, l.refundedQuantity + q, l.quantity) - share(l.greenPoints, l.refundedQuantity, l.quantity);
    }, 0);
    let debt = 0;
    for (const [asset, n] of [['POINTS', points], ['GREEN_POINTS', greenPoints]] as const) {
      if (n <= 0) continue;
      const account = userKey(p.userId, asset);
      // The purchase's own lots first (pending, available or lapsed), then the user's other live lots;
      // only what the account cannot cover becomes debt.
      const sum = (taken: { amount: number }[]) => taken.reduce((s, t) => s + t.amount, 0);
      const own = sum(this.take(account, n, { includePending: true, includeLapsed: true, partial: true, only: (l) => l.transactionId === p.transactionId }));
      const got = own + sum(this.take(account, n - own, { includePending: true, partial: true }));
      if (asset === 'POINTS') debt = n - got;
      this.debt.set(account, (this.debt.get(account) ?? 0) + n - got);
      this.flows[asset].refunded += n;
    }
    for (const [i, q] of taken) p.lines[i]!.refundedQuantity += q;
    p.refundedMinor = after;
    return { refundMinor, points, greenPoints, debt, status: after === p.amountMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED' };
  }

  /** The hold of a redemption: points from the user's account or the household pool into the user's hold. */
  redeemHold(userId: string, fromHousehold: boolean, points: number) {
    if (this.isFrozen(userId)) throw new Refusal('ACCOUNT_FROZEN');
    const source = fromHousehold ? poolKey(this.householdId) : userKey(userId);
    const taken = this.take(source, points);
    this.hold.set(userId, (this.hold.get(userId) ?? 0) + points);
    return { source, taken: taken.map((t) => ({ availableAt: t.lot.availableAt, expiresAt: t.lot.expiresAt, amount: t.amount })) };
  }

  /** Points back where they came from, with the dates of the lots they left. */
  private restore(r: MRedemption): void {
    this.credit(r.source, r.taken.map((t) => ({ amount: t.amount, availableAt: Math.min(t.availableAt, this.now), expiresAt: t.expiresAt })));
  }

  resolve(r: MRedemption, ok: boolean): void {
    this.hold.set(r.userId, this.hold.get(r.userId)! - r.points);
    if (ok) {
      r.status = 'POSTED';
      this.flows.POINTS.redeemed += r.points;
    } else {
      r.status = 'VOIDED';
      this.restore(r);
    }
  }

  cancel(r: MRedemption, compensation: number, body: string): 'cancelled' | 'replayed' {
    if (r.status === 'CANCELLED') {
      if (r.cancelBody !== body) throw new Refusal('IDEMPOTENCY_CONFLICT');
      return 'replayed';
    }
    if (r.status !== 'POSTED') throw new Refusal('REDEMPTION_NOT_CANCELLABLE');
    r.status = 'CANCELLED';
    r.cancelBody = body;
    this.restore(r);
    this.flows.POINTS.redeemed -= r.points;
    if (compensation > 0) {
      this.credit(userKey(r.userId), [{ amount: compensation, availableAt: this.now, expiresAt: this.now + DEFAULT_POLICY.compensationValidityDays * DAY_MS }]);
      this.flows.POINTS.compensated += compensation;
    }
    return 'cancelled';
  }

  /** Moves points inside the household, keeping each lot's dates. */
  move(from: string, to: string, amount: number): void {
    const taken = this.take(from, amount);
    this.credit(to, taken.map((t) => ({ amount: t.amount, availableAt: t.lot.availableAt, expiresAt: t.lot.expiresAt })));
  }

  transfer(fromUser: string, toUser: string, amount: number): void {
    if (this.isFrozen(fromUser)) throw new Refusal('ACCOUNT_FROZEN');
    if (!this.members.includes(toUser)) throw new Refusal('NOT_HOUSEHOLD_MEMBER');
    this.move(userKey(fromUser), userKey(toUser), amount);
  }

  contribute(fromUser: string, amount: number): void {
    if (this.isFrozen(fromUser)) throw new Refusal('ACCOUNT_FROZEN');
    this.move(userKey(fromUser), poolKey(this.householdId), amount);
  }

  /** Every lot of the household that lapsed by now goes to breakage. */
  expire(): void {
    for (const account of this.accounts) {
      const taken = this.take(account, Number.MAX_SAFE_INTEGER, { expiredOnly: true, partial: true });
      this.flows[assetOf(account)].expired += taken.reduce((s, t) => s + t.amount, 0);
    }
  }

  clawback(userId: string, points: number): number {
    const taken = this.take(userKey(userId), points, { includePending: true, partial: true }).reduce((s, t) => s + t.amount, 0);
    this.flows.POINTS.clawedBack += taken;
    return taken;
  }
}
