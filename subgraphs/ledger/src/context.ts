import type { BaseContext } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { createLoaders, type Loaders } from './loaders.ts';
import type { MerchantsService } from './merchantsClient.ts';
import { DEFAULT_POLICY, type LedgerPolicy } from './policy.ts';
import { createTransactionsRepository, type TransactionsRepository } from './repositories/transactionsRepository.ts';

export interface LedgerDeps {
  db: Database;
  /** The merchants subgraph, for stock on redemption; without it redeeming answers SERVICE_UNAVAILABLE. */
  merchants?: MerchantsService | undefined;
  policy?: LedgerPolicy | undefined;
}

export interface LedgerContext extends BaseContext {
  db: Database;
  merchants: MerchantsService | undefined;
  policy: LedgerPolicy;
  repo: TransactionsRepository;
  loaders: Loaders;
  /** One clock reading per request: balances and pending amounts in one response agree. */
  now: Date;
}

export function createContextFactory(deps: LedgerDeps) {
  return (base: BaseContext): LedgerContext => {
    const repo = createTransactionsRepository(deps.db);
    const now = new Date();
    return { ...base, db: deps.db, merchants: deps.merchants, policy: deps.policy ?? DEFAULT_POLICY, repo, now, loaders: createLoaders(deps.db, repo, now) };
  };
}
