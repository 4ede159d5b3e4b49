import type { BaseContext } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { createLoaders, type Loaders } from './loaders.ts';
import { createTransactionsRepository, type TransactionsRepository } from './repositories/transactionsRepository.ts';

export interface LedgerDeps {
  db: Database;
}

export interface LedgerContext extends BaseContext {
  db: Database;
  repo: TransactionsRepository;
  loaders: Loaders;
  /** One clock reading per request: balances and pending amounts in one response agree. */
  now: Date;
}

export function createContextFactory(deps: LedgerDeps) {
  return (base: BaseContext): LedgerContext => {
    const repo = createTransactionsRepository(deps.db);
    return { ...base, db: deps.db, repo, now: new Date(), loaders: createLoaders(deps.db, repo) };
  };
}
