import { postJson, servicePrincipal, signRequest, withTraceContext } from '@greenpoints/common';

/** A reward as the ledger needs it to redeem: who sells it and what it costs now. */
export interface RewardQuote {
  id: string;
  merchantId: string;
  currentPointsCost: number;
  /** The terms shown to the member with the reward. */
  terms?: string | null;
  /** Raised each time the terms change. */
  termsVersion?: number | null;
}

/** The merchants subgraph refused for good (no stock, not available): the hold must be voided. */
export type StockAnswer = { ok: true } | { ok: false; code: string; message: string };

/**
 * The ledger's calls to the merchants subgraph, signed with the ledger's `service` principal like
 * any upstream request (the merchants subgraph refuses stock moves from anyone else). A transport
 * failure or an unexpected error throws: the hold stays and the recovery pass asks again later, which
 * is safe because every stock call is idempotent by redemption id.
 */
export interface MerchantsService {
  quote(rewardId: string): Promise<RewardQuote | null>;
  reserveStock(rewardId: string, quantity: number, redemptionId: string): Promise<StockAnswer>;
  confirmStock(redemptionId: string): Promise<StockAnswer>;
  releaseStock(redemptionId: string): Promise<StockAnswer>;
}

/** Codes with which the merchants subgraph refuses for good; anything else may pass on retry. */
const REFUSALS = new Set(['OUT_OF_STOCK', 'REWARD_NOT_AVAILABLE', 'MERCHANT_NOT_ACTIVE', 'NOT_FOUND', 'RESERVATION_CLOSED', 'IDEMPOTENCY_CONFLICT', 'BAD_USER_INPUT']);

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export function merchantsClient(options: { url: () => string; signingSecret: string; timeoutMs?: number }): MerchantsService {
  async function call(query: string, variables: Record<string, unknown>): Promise<GraphQLResponse> {
    const body = JSON.stringify({ query, variables });
    const headers = signRequest({ principal: servicePrincipal('ledger'), subgraph: 'merchants', body }, options.signingSecret);
    const res = await postJson(options.url(), withTraceContext({ ...headers }), body, options.timeoutMs ?? 5_000);
    if (res.status !== 200 && res.status !== 400) throw new Error(`merchants subgraph answered HTTP ${res.status}`);
    return res.body as GraphQLResponse;
  }

  function answer(res: GraphQLResponse): StockAnswer {
    const error = res.errors?.[0];
    if (!error) return { ok: true };
    const code = error.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    if (REFUSALS.has(code)) return { ok: false, code, message: error.message };
    throw new Error(`merchants subgraph failed: ${code}`);
  }

  return {
    async quote(rewardId) {
      const res = await call('query Quote($id: ID!) { reward(id: $id) { id currentPointsCost terms termsVersion merchant { id } } }', { id: rewardId });
      if (res.errors?.length) throw new Error(`merchants subgraph failed: ${res.errors[0]?.extensions?.code ?? 'unknown'}`);
      const reward = res.data?.['reward'] as { id: string; currentPointsCost: number; terms: string | null; termsVersion: number; merchant: { id: string } } | null | undefined;
      return reward ? { id: reward.id, merchantId: reward.merchant.id, currentPointsCost: reward.currentPointsCost, terms: reward.terms, termsVersion: reward.termsVersion } : null;
    },
    reserveStock: async (rewardId, quantity, redemptionId) =>
      answer(await call('mutation Reserve($r: ID!, $q: Int!, $id: ID!) { reserveStock(rewardId: $r, quantity: $q, redemptionId: $id) { status } }', { r: rewardId, q: quantity, id: redemptionId })),
    confirmStock: async (redemptionId) => answer(await call('mutation Confirm($id: ID!) { confirmStock(redemptionId: $id) { status } }', { id: redemptionId })),
    releaseStock: async (redemptionId) => answer(await call('mutation Release($id: ID!) { releaseStock(redemptionId: $id) { status } }', { id: redemptionId })),
  };
}
