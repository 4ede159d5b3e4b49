import type { MerchantsService, RewardQuote, StockAnswer } from '@greenpoints/ledger/merchantsClient';

export interface FakeReward {
  id: string;
  merchantId: string;
  pointsCost: number;
  stock: number;
}

/**
 * The merchants subgraph's side of a redemption, in process: a catalogue with a stock count per
 * reward, reservations idempotent by redemption id, and an outage switch under which stock calls
 * fail the way an unreachable subgraph does (they throw; the ledger's hold must stand).
 */
export class FakeMerchants implements MerchantsService {
  readonly rewards: Map<string, FakeReward>;
  /** Every redemption id the fake answered for good, and how: what the ledger must honour. */
  readonly answers = new Map<string, StockAnswer>();
  readonly confirmed = new Set<string>();
  down = false;

  constructor(rewards: FakeReward[]) {
    this.rewards = new Map(rewards.map((r) => [r.id, { ...r }]));
  }

  async quote(rewardId: string): Promise<RewardQuote | null> {
    const r = this.rewards.get(rewardId);
    return r ? { id: r.id, merchantId: r.merchantId, currentPointsCost: r.pointsCost } : null;
  }

  async reserveStock(rewardId: string, quantity: number, redemptionId: string): Promise<StockAnswer> {
    if (this.down) throw new Error('merchants subgraph unreachable');
    const known = this.answers.get(redemptionId);
    if (known) return known;
    const reward = this.rewards.get(rewardId);
    let answer: StockAnswer;
    if (!reward) answer = { ok: false, code: 'NOT_FOUND', message: 'no such reward' };
    else if (reward.stock < quantity) answer = { ok: false, code: 'OUT_OF_STOCK', message: 'out of stock' };
    else {
      reward.stock -= quantity;
      answer = { ok: true };
    }
    this.answers.set(redemptionId, answer);
    return answer;
  }

  async confirmStock(redemptionId: string): Promise<StockAnswer> {
    if (this.down) throw new Error('merchants subgraph unreachable');
    if (!this.answers.get(redemptionId)?.ok) return { ok: false, code: 'NOT_FOUND', message: 'no reservation' };
    this.confirmed.add(redemptionId);
    return { ok: true };
  }

  async releaseStock(redemptionId: string): Promise<StockAnswer> {
    if (this.down) throw new Error('merchants subgraph unreachable');
    return this.answers.get(redemptionId)?.ok ? { ok: true } : { ok: false, code: 'NOT_FOUND', message: 'no reservation' };
  }
}
