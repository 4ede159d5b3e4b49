import { postJson, servicePrincipal, signRequest, withTraceContext } from '@greenpoints/common';
import { merchantsError } from './errors.ts';

/** The caller's spendable POINTS, asked of the ledger, which owns balances. */
export interface LedgerBalances {
  spendableBalance(userId: string): Promise<number>;
}

export interface LedgerBalancesOptions {
  /** The ledger subgraph's URL; a function because a stack on free ports knows it only once listening. */
  url: () => string | undefined;
  signingSecret: string;
  /** Bounded, so a slow ledger fails one catalogue request instead of holding it. */
  timeoutMs?: number;
}

const QUERY = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { points { balance } } } }';

interface Answer {
  data?: { _entities?: ({ points?: { balance?: unknown } | null } | null)[] } | null;
  errors?: unknown[];
}

/**
 * A subgraph-to-subgraph call as the design has it: straight to the ledger (not through the
 * gateway), signed with the merchants' `service` principal for the ledger alone, over the same
 * federation entity query the gateway would send. The ledger serves a user's points to a service
 * principal; no client can present one (a token's scope never grants a role).
 */
export function createLedgerBalances(options: LedgerBalancesOptions): LedgerBalances {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const unavailable = () => merchantsError('LEDGER_UNAVAILABLE', 'Balances cannot be read now; try again, or leave out affordableForMe');
  return {
    async spendableBalance(userId) {
      const url = options.url();
      if (!url) throw unavailable();
      const body = JSON.stringify({ query: QUERY, variables: { r: [{ __typename: 'User', id: userId }] } });
      const headers = signRequest({ principal: servicePrincipal('merchants'), subgraph: 'ledger', body }, options.signingSecret);
      let answer: Answer;
      try {
        const res = await postJson(url, withTraceContext({ ...headers }), body, timeoutMs);
        if (res.status !== 200) throw new Error(`ledger answered HTTP ${res.status}`);
        answer = res.body as Answer;
      } catch {
        throw unavailable();
      }
      const balance = answer.data?._entities?.[0]?.points?.balance;
      if (answer.errors?.length || typeof balance !== 'number' || !Number.isSafeInteger(balance)) throw unavailable();
      return balance;
    },
  };
}
