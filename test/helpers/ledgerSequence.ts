/** One run of the ledger's property test: a household, its model, and every operation held to the model. */
import { isAppError, type Principal } from '@greenpoints/common';
import { expirePoints } from '@greenpoints/ledger/operations/expirePoints';
import { clawback, freezeAccount, openFraudCase, resolveFraudCase } from '@greenpoints/ledger/operations/fraud';
import { contributeToHousehold, transferPoints } from '@greenpoints/ledger/operations/householdTransfers';
import { sealOperations } from '@greenpoints/ledger/operations/operationLog';
import { recordPurchase } from '@greenpoints/ledger/operations/recordPurchase';
import { cancelRedemption, recoverRedemptions, redeemReward, type RedeemDeps } from '@greenpoints/ledger/operations/redeemReward';
import { refundPurchase } from '@greenpoints/ledger/operations/refundPurchase';
import { verifyLedger } from '@greenpoints/ledger/operations/verify';
import { expect } from 'vitest';
import type { FreshDb } from './eventsDb.ts';
import { FakeMerchants } from './fakeMerchants.ts';
import { conservation, fifoViolations, fingerprint, readHousehold, reconcile, type HouseholdState } from './ledgerChecks.ts';
import { LedgerModel, Refusal, type Asset, type MRedemption } from './ledgerModel.ts';
import { HOUR_MS, type Cmd, type Replay, type World } from './ledgerScenario.ts';

const ADMIN: Principal = { role: 'admin', sub: 'a', scopes: [] };
const consumer = (sub: string): Principal => ({ role: 'consumer', sub, scopes: [] });
const merchant = (merchantId: string): Principal => ({ role: 'merchant', merchantId, scopes: [] });
/** The expiry run handles this many accounts per call; the test calls it until fewer are due. */
const EXPIRY_BATCH = 500;

type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

async function outcome<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (isAppError(error)) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

const codeOf = (o: Outcome<unknown>) => (o.ok ? 'success' : o.code);
/** JSON with object keys sorted: a result replayed from jsonb comes back with its keys reordered. */
const sortedJson = (v: unknown): string =>
  v !== null && typeof v === 'object' && !(v instanceof Date)
    ? `{${Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${JSON.stringify(k)}:${sortedJson(x)}`).join(',')}}`
    : JSON.stringify(v);
/** What a retry must give again: the same entity (by id), the same value, or the same refusal. */
const identity = (o: Outcome<unknown>) => (o.ok ? sortedJson((o.value as { id?: string } | null)?.id ?? o.value) : o.code);

/** How often each operation ended each way, over all sequences: proof that the generator reaches every path. */
export const seen = new Map<string, number>();
const note = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);

/**
 * One sequence: one household of the seed (the model starts from what the database holds for it),
 * merchants with fresh stock, a clock from `start`.
 */
export class Sequence {
  readonly model: LedgerModel;
  readonly fake: FakeMerchants;
  readonly deps: RedeemDeps;
  private state!: HouseholdState;
  private allocationId = 0;
  private readonly initial = { POINTS: 0, GREEN_POINTS: 0 };
  /** Every operation whose key is taken, to retry later: the same result, nothing written. */
  private readonly history: { label: string; call: (at: Date) => Promise<unknown>; expected: () => string; unless?: () => boolean }[] = [];

  constructor(
    private readonly world: World,
    private readonly t: FreshDb,
    /** Which sequence of the test this is: it keeps idempotency keys apart. */
    private readonly n: number,
    householdIndex: number,
  ) {
    const household = world.households[householdIndex % world.households.length]!;
    this.model = new LedgerModel(household.id, household.members, world.rules, world.greenRates);
    this.model.now = world.start;
    this.fake = new FakeMerchants(world.rewards);
    this.deps = { db: t.handle.db, merchants: this.fake };
  }

  private get sql() {
    return this.t.sql;
  }

  private member(i: number): string {
    return this.model.members[i % this.model.members.length]!;
  }

  async start(): Promise<void> {
    // A sequence that failed may have left holds; its successor finds them resolved, as after a crash.
    await recoverRedemptions({ db: this.t.handle.db, merchants: new FakeMerchants(this.world.rewards) }, new Date(this.world.limit));
    const m = this.model;
    this.state = await readHousehold(this.sql, m);
    m.lots = this.state.lots.map((l) => ({ ...l }));
    for (const key of m.accounts) m.debt.set(key, this.state.accounts.get(key)?.debt ?? 0);
    for (const u of m.members) m.hold.set(u, this.state.accounts.get(`HOLD:${u}:POINTS`)?.balance ?? 0);
    const spent = await this.sql<{ user_id: string; at: Date; net: number }[]>`
      SELECT user_id, occurred_at AS at, (amount_minor - refunded_minor)::float8 AS net FROM ledger.purchases WHERE user_id IN ${this.sql(m.members)}`;
    for (const s of spent) m.spend.push({ userId: s.user_id, at: s.at.getTime(), net: () => s.net });
    const cases = await this.sql<{ id: string; user_id: string }[]>`
      SELECT id, user_id FROM ledger.fraud_cases WHERE user_id IN ${this.sql(m.members)} AND frozen AND status IN ('OPEN', 'CONFIRMED')`;
    for (const c of cases) m.frozen.set(c.user_id, new Set([...(m.frozen.get(c.user_id) ?? []), c.id]));
    this.initial.POINTS = m.holdings('POINTS');
    this.initial.GREEN_POINTS = m.holdings('GREEN_POINTS');
    const [a] = await this.sql<{ id: number }[]>`SELECT coalesce(max(id), 0)::float8 AS id FROM ledger.lot_allocations`;
    this.allocationId = a!.id;
    expect(reconcile(m, this.state)).toEqual([]);
    // The seeded points are still pending at the start: every member first shops at the telecom
    // (no pending days), so that spending, moving and refunding meet points from the first step.
    for (const [i, user] of m.members.entries()) {
      m.now += 1_000;
      const label = `#prelude earn ${user}`;
      await this.earn({ t: 'earn', user: i, merchant: 1, lines: null, amountMinor: 30_000, backHours: 0, replay: 'none' }, `seq${this.n}-prelude${i}`, label, new Date(m.now));
      await this.check(label, m.now);
    }
  }

  /** After every operation: the household matches the model lot by lot, and every spend was first-expiring-first. */
  private async check(label: string, now: number): Promise<void> {
    const before = this.state.lots;
    this.state = await readHousehold(this.sql, this.model);
    const fifo = await fifoViolations(this.sql, before, this.allocationId, now);
    this.allocationId = fifo.lastId;
    const problems = [...reconcile(this.model, this.state), ...fifo.problems];
    const ids = this.model.redemptions.map((r) => r.id);
    if (ids.length > 0) {
      const rows = await this.sql<{ id: string; status: string }[]>`SELECT id, status FROM ledger.redemptions WHERE id IN ${this.sql(ids)}`;
      for (const r of this.model.redemptions) {
        const status = rows.find((x) => x.id === r.id)?.status;
        if (status !== r.status) problems.push(`redemption ${r.id}: ${status}, model ${r.status}`);
      }
    }
    expect(problems, `after ${label}`).toEqual([]);
  }

  /**
   * Runs one operation the way a client would and holds it to the model: the model predicts success
   * or the refusal; a refusal writes nothing; a retry with the same key returns the same result and
   * writes nothing; the same key with another body is IDEMPOTENCY_CONFLICT and writes nothing.
   */
  private async exercise<T, P>(
    label: string,
    spec: {
      predict: () => P;
      /** The operation, at a given instant: a later retry passes a later one. */
      call: (at: Date) => Promise<T>;
      accept?: (value: T, predicted: P) => Promise<void> | void;
      /** False when the model says this success is a replay that must write nothing. */
      writes?: (predicted: P) => boolean;
      replay: Replay;
      conflict?: () => Promise<unknown>;
    },
  ): Promise<void> {
    const at = new Date(this.model.now);
    const before = await fingerprint(this.sql);
    let predicted: P | undefined;
    let refusal: string | null = null;
    try {
      predicted = spec.predict();
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      refusal = error.code;
    }
    const first = await outcome(() => spec.call(at));
    note(`${label.split(' ')[1]}: ${codeOf(first)}`);
    if (refusal !== null) {
      expect(codeOf(first), `${label}: the model expects ${refusal}`).toBe(refusal);
      expect(await fingerprint(this.sql), `${label}: a refusal writes nothing`).toEqual(before);
    } else {
      if (!first.ok) throw new Error(`${label}: the ledger refused with ${first.code} (${first.message}) where the model expects success`);
      await spec.accept?.(first.value, predicted as P);
      if (spec.writes && !spec.writes(predicted as P)) expect(await fingerprint(this.sql), `${label}: a replay writes nothing`).toEqual(before);
    }
    if (first.ok) this.history.push({ label, call: spec.call, expected: () => identity(first) });
    await this.retry(label, first, () => spec.call(at), spec.replay === 'conflict' && first.ok ? spec.conflict : undefined, spec.replay);
  }

  private async retry<T>(label: string, first: Outcome<T>, call: () => Promise<T>, conflict: (() => Promise<unknown>) | undefined, replay: Replay): Promise<void> {
    if (replay === 'same') {
      const before = await fingerprint(this.sql);
      const again = await outcome(call);
      expect(codeOf(again), `${label} retried`).toBe(codeOf(first));
      if (again.ok && first.ok) expect(again.value, `${label} retried returns the first result`).toEqual(first.value);
      expect(await fingerprint(this.sql), `${label} retried writes nothing`).toEqual(before);
    }
    if (conflict) {
      const before = await fingerprint(this.sql);
      expect(codeOf(await outcome(conflict)), `${label} with another body under its key`).toBe('IDEMPOTENCY_CONFLICT');
      expect(await fingerprint(this.sql), `${label}: a conflict writes nothing`).toEqual(before);
    }
  }

  async step(c: Cmd, i: number): Promise<void> {
    const m = this.model;
    // Every operation a second after the one before; an advance stops at the limit, never goes back.
    m.now = c.t === 'advance' ? Math.max(m.now, Math.min(m.now + c.ms, this.world.limit)) : m.now + 1_000;
    const now = new Date(m.now);
    const key = `seq${this.n}-op${i}`;
    const label = `#${i} ${c.t} ${JSON.stringify(c)}`;
    const db = this.t.handle.db;
    switch (c.t) {
      case 'advance':
        return;
      case 'outage':
        this.fake.down = c.down;
        return;
      case 'earn':
        await this.earn(c, key, label, now);
        break;
      case 'refund': {
        if (m.purchases.length === 0) return;
        await this.refund(c, key, label, now);
        break;
      }
      case 'redeem':
        await this.redeem(c, key, label, now);
        break;
      case 'cancel': {
        if (m.redemptions.length === 0) return;
        const r = m.redemptions[c.redemption % m.redemptions.length]!;
        const input = (compensationPoints: number) => ({ redemptionId: r.id, reason: 'the flight was cancelled', compensationPoints });
        const principal = c.byAdmin ? ADMIN : merchant(r.merchantId);
        await this.exercise(label, {
          predict: () => m.cancel(r, c.compensation, JSON.stringify(input(c.compensation))),
          call: (at) => cancelRedemption(this.deps, principal, input(c.compensation), at),
          accept: (row) => expect(row.status).toBe('CANCELLED'),
          writes: (predicted) => predicted === 'cancelled',
          replay: c.replay,
          conflict: () => cancelRedemption(this.deps, principal, input(c.compensation + 1), now),
        });
        break;
      }
      case 'transfer': {
        const from = this.member(c.from);
        const to = c.to === 3 ? this.world.stranger : this.member(c.from + c.to);
        await this.exercise(label, {
          predict: () => {
            if (from === to) throw new Refusal('BAD_USER_INPUT');
            m.transfer(from, to, c.amount);
          },
          call: async (at) => transferPoints(db, consumer(from), to, c.amount, key, at),
          replay: c.replay,
          conflict: async () => transferPoints(db, consumer(from), to, c.amount + 1, key, now),
        });
        break;
      }
      case 'contribute': {
        const from = this.member(c.from);
        await this.exercise(label, {
          predict: () => m.contribute(from, c.amount),
          call: (at) => contributeToHousehold(db, consumer(from), c.amount, key, at),
          replay: c.replay,
          conflict: () => contributeToHousehold(db, consumer(from), c.amount + 1, key, now),
        });
        break;
      }
      case 'clawback':
        await this.clawback(c, key, label, now);
        break;
      case 'unfreeze': {
        const user = this.member(c.user);
        for (const caseId of m.frozen.get(user) ?? []) await freezeAccount(db, ADMIN, caseId, false, 'the evidence was explained', `unfreeze:${caseId}`, now);
        m.frozen.delete(user);
        break;
      }
      case 'expire':
        await this.exercise(label, {
          predict: () => {
            const before = m.flows.POINTS.expired + m.flows.GREEN_POINTS.expired;
            m.expire();
            return m.flows.POINTS.expired + m.flows.GREEN_POINTS.expired - before;
          },
          call: (at) => this.expireAll(key, now, at),
          accept: (_, lapsed) => {
            if (lapsed > 0) note('expire: household lots lapsed');
          },
          replay: c.replay,
          conflict: () => expirePoints(db, ADMIN, new Date(m.now - 1_000), `${key}-0`, now),
        });
        break;
      case 'recover':
        await this.recover();
        break;
      case 'retry':
        if (this.history.length === 0) return;
        await this.retryLater(this.history[c.op % this.history.length]!, label, now);
        break;
    }
    await this.check(label, m.now);
  }

  /** An operation retried with its key later on, as a client whose answer was lost would. */
  private async retryLater(entry: (typeof this.history)[number], label: string, now: Date): Promise<void> {
    if (entry.unless?.()) return;
    const before = await fingerprint(this.sql);
    const again = await outcome(() => entry.call(now));
    note(`retry: ${codeOf(again)}`);
    expect(identity(again), `${label}: ${entry.label} retried later returns its first result`).toBe(entry.expected());
    expect(await fingerprint(this.sql), `${label}: ${entry.label} retried later writes nothing`).toEqual(before);
  }

  private async earn(c: Extract<Cmd, { t: 'earn' }>, key: string, label: string, now: Date): Promise<void> {
    const m = this.model;
    const shop = this.world.merchants[c.merchant % this.world.merchants.length]!;
    const user = this.member(c.user);
    const lines = c.lines?.map((l) => {
      const p = shop.products[l.product % shop.products.length]!;
      return { sku: p.sku, quantity: l.qty, unitPriceMinor: p.priceMinor };
    }) ?? null;
    const amountMinor = lines ? lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0) : c.amountMinor;
    const occurredAt = new Date(m.now - c.backHours * HOUR_MS);
    const input = { userId: user, merchantId: shop.id, amountMinor, lines, occurredAt: c.backHours > 0 ? occurredAt : null };
    await this.exercise(label, {
      predict: () => m.earn(user, shop.id, amountMinor, lines ?? [], occurredAt.getTime()),
      call: (at) => recordPurchase(this.t.handle.db, merchant(shop.id), input, key, at),
      accept: (row, { purchase, tier }) => {
        expect({ points: row.points, greenPoints: row.greenPoints, tier: row.tier }, label).toEqual({ points: purchase.points, greenPoints: purchase.greenPoints, tier });
        purchase.id = row.id;
        purchase.transactionId = row.transactionId;
      },
      replay: c.replay,
      // Half a minute later is still within the purchase window and not in the future.
      conflict: () => recordPurchase(this.t.handle.db, merchant(shop.id), { ...input, occurredAt: new Date(occurredAt.getTime() + 30_000) }, key, now),
    });
  }

  private async refund(c: Extract<Cmd, { t: 'refund' }>, key: string, label: string, now: Date): Promise<void> {
    const m = this.model;
    const p = m.purchases[c.purchase % m.purchases.length]!;
    const left = p.amountMinor - p.refundedMinor;
    let amount: number | null = null;
    let lines: { sku: string; quantity: number }[] | null = null;
    if (c.kind === 'lines' && p.lines.length > 0) {
      const open = p.lines.filter((l) => l.quantity > l.refundedQuantity).map((l) => ({ sku: l.sku, quantity: Math.max(1, Math.floor(((l.quantity - l.refundedQuantity) * c.percent) / 100)) }));
      lines = open.length > 0 ? open.slice(0, 1 + (c.percent % open.length)) : [{ sku: p.lines[0]!.sku, quantity: 1 }];
    } else if (c.kind !== 'full') {
      amount = Math.max(1, Math.floor((left * c.percent) / 100));
    }
    const input = { purchaseId: p.id, amount, lines };
    const principal = merchant(p.merchantId);
    await this.exercise(label, {
      predict: () => m.refund(p, amount, lines),
      call: (at) => refundPurchase(this.t.handle.db, principal, input, key, at),
      accept: async (row, predicted) => {
        expect({ refundedMinor: row.refundedMinor, status: row.status }).toEqual({ refundedMinor: p.refundedMinor, status: predicted.status });
        const [refund] = await this.sql<{ points: number; green_points: number; debt: number }[]>`
          SELECT r.points::float8 AS points, r.green_points::float8 AS green_points, r.debt::float8 AS debt
            FROM ledger.refunds r JOIN ledger.transactions t ON t.id = r.transaction_id WHERE r.purchase_id = ${p.id} ORDER BY t.operation_id DESC LIMIT 1`;
        expect(refund, label).toEqual({ points: predicted.points, green_points: predicted.greenPoints, debt: predicted.debt });
        if (predicted.debt > 0) note('refund: left debt');
      },
      replay: c.replay,
      conflict: () => refundPurchase(this.t.handle.db, principal, { purchaseId: p.id, amount: (amount ?? 0) + 1, lines: null }, key, now),
    });
  }

  private async redeem(c: Extract<Cmd, { t: 'redeem' }>, key: string, label: string, now: Date): Promise<void> {
    const m = this.model;
    const reward = this.world.rewards[c.reward % this.world.rewards.length]!;
    const user = this.member(c.user);
    const points = reward.pointsCost * c.quantity;
    const request = (at: Date) => redeemReward(this.deps, consumer(user), { rewardId: reward.id, quantity: c.quantity, fromHousehold: c.pool }, key, at);
    const call = () => request(now);
    const before = await fingerprint(this.sql);
    let hold: ReturnType<LedgerModel['redeemHold']> | null = null;
    try {
      hold = m.redeemHold(user, c.pool, points);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const first = await outcome(call);
      note(`redeem: ${codeOf(first)}`);
      expect(codeOf(first), `${label}: the model expects ${error.code}`).toBe(error.code);
      expect(await fingerprint(this.sql), `${label}: a refusal writes nothing`).toEqual(before);
      return this.retry(label, first, call, undefined, c.replay);
    }
    const asked = new Set(this.fake.answers.keys());
    const first = await outcome(call);
    note(`redeem: ${first.ok ? first.value.status : first.code}`);
    // The redemption the ledger made: its answer names it, or, when it was voided, the fake was asked about it.
    const id = first.ok ? first.value.id : [...this.fake.answers.keys()].find((k) => !asked.has(k));
    if (!id) throw new Error(`${label}: the ledger refused with ${codeOf(first)} where the model expects a hold`);
    const r: MRedemption = { id, userId: user, merchantId: reward.merchantId, source: hold.source, points, status: 'HELD', taken: hold.taken, createdAt: m.now };
    m.redemptions.push(r);
    // Retried later, the same key returns this redemption (once it is no longer waiting on stock).
    this.history.push({ label, call: request, expected: () => (r.status === 'VOIDED' ? 'OUT_OF_STOCK' : sortedJson(r.id)), unless: () => r.status === 'HELD' });
    const answer = this.fake.answers.get(id);
    if (this.fake.down) {
      expect(first.ok && first.value.status, `${label}: the hold stands while merchants is unreachable`).toBe('HELD');
    } else {
      expect(answer, `${label}: stock was asked for`).toBeDefined();
      m.resolve(r, answer!.ok);
      expect(codeOf(first), label).toBe(answer!.ok ? 'success' : answer!.code);
      if (first.ok) expect(first.value.status).toBe('POSTED');
    }
    const conflict = () => redeemReward(this.deps, consumer(user), { rewardId: reward.id, quantity: c.quantity + 1, fromHousehold: c.pool }, key, now);
    // A voided redemption's key is taken as much as a posted one's.
    await this.retry(label, first, call, c.replay === 'conflict' ? conflict : undefined, c.replay);
  }

  private async clawback(c: Extract<Cmd, { t: 'clawback' }>, key: string, label: string, now: Date): Promise<void> {
    const m = this.model;
    const db = this.t.handle.db;
    const user = this.member(c.user);
    const opened = await openFraudCase(db, ADMIN, { userId: user, evidence: 'till receipts do not match the recorded purchases', reason: 'suspected fabricated purchases', freeze: c.freeze }, `${key}-case`, now);
    if (c.freeze) m.frozen.set(user, new Set([...(m.frozen.get(user) ?? []), opened.id]));
    await resolveFraudCase(db, ADMIN, opened.id, c.confirm ? 'CONFIRMED' : 'DISMISSED', c.confirm ? 'evidence upheld' : 'evidence explained', `resolve:${opened.id}`, now);
    if (!c.confirm) m.frozen.get(user)?.delete(opened.id);
    const call = (points: number) => (at: Date) => clawback(db, ADMIN, opened.id, points, 'fabricated purchases', key, at);
    await this.exercise(label, {
      predict: () => {
        if (!c.confirm) throw new Refusal('CASE_NOT_CONFIRMED');
        return m.clawback(user, c.points);
      },
      call: call(c.points),
      accept: (result, taken) => expect(result, label).toEqual({ caseId: opened.id, points: taken }),
      replay: c.replay,
      conflict: () => call(c.points + 1)(now),
    });
  }

  /** The scheduled expiry as of `asOf`, run at `at`: batches until none are due. Returns the first batch's result. */
  private async expireAll(key: string, asOf: Date, at = asOf) {
    const first = await expirePoints(this.t.handle.db, ADMIN, asOf, `${key}-0`, at);
    for (let n = 1, last = first; last.accounts >= EXPIRY_BATCH; n++) last = await expirePoints(this.t.handle.db, ADMIN, asOf, `${key}-${n}`, at);
    return first;
  }

  /** Merchants is back: the recovery pass finishes every hold older than its grace period. */
  private async recover(): Promise<void> {
    const m = this.model;
    m.now += 31_000;
    this.fake.down = false;
    await recoverRedemptions(this.deps, new Date(m.now));
    for (const r of m.redemptions.filter((x) => x.status === 'HELD' && x.createdAt < m.now - 30_000)) {
      const answer = this.fake.answers.get(r.id);
      expect(answer, `hold ${r.id} was asked about by the recovery pass`).toBeDefined();
      note(`recover: ${answer!.ok ? 'POSTED' : 'VOIDED'}`);
      m.resolve(r, answer!.ok);
    }
  }

  /** The end of a sequence: holds recovered, lapsed lots expired, the log sealed; then every invariant. */
  async finish(): Promise<void> {
    const m = this.model;
    await this.recover();
    await this.check('recovery at the end', m.now);
    m.now += 1_000;
    m.expire();
    await this.expireAll(`seq${this.n}-final`, new Date(m.now));
    await this.check('expiry at the end', m.now);
    expect(m.redemptions.filter((r) => r.status === 'HELD')).toEqual([]);
    const posted = m.redemptions.filter((r) => r.status === 'POSTED' || r.status === 'CANCELLED').map((r) => r.id);
    if (posted.length > 0) {
      const unconfirmed = await this.sql`SELECT id FROM ledger.redemptions WHERE id IN ${this.sql(posted)} AND stock_state <> 'CONFIRMED'`;
      expect(unconfirmed, 'posted redemptions have their stock confirmed').toEqual([]);
    }
    while ((await sealOperations(this.t.handle.db)) > 0);
    const report = await verifyLedger(this.t.handle.db);
    expect(report.checks.filter((x) => !x.ok), 'ledger:verify').toEqual([]);
    expect(report.chain.unsealed).toBe(0);
    if (m.settledDebt > 0) note('debt settled by later credits');
    expect(await conservation(this.sql), 'conservation').toEqual([]);
    for (const asset of ['POINTS', 'GREEN_POINTS'] as Asset[]) {
      const f = m.flows[asset];
      expect(m.holdings(asset) - this.initial[asset], `${asset} held by the household`).toBe(f.earned - f.refunded - f.redeemed + f.compensated - f.expired - f.clawedBack);
    }
  }
}
