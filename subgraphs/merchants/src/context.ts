import type { BaseContext } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import type { LedgerBalances } from './ledgerBalances.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import { createMerchantsRepository, type MerchantsRepository } from './repositories/merchantsRepository.ts';

export interface MerchantsDeps {
  db: Database;
  /** Where the ledger subgraph listens, for the catalogue's affordableForMe (a signed service call). */
  ledgerUrl?: () => string | undefined;
}

export interface MerchantsContext extends BaseContext {
  loaders: Loaders;
  repo: MerchantsRepository;
  /** For the operations that write (each opens its own transaction). */
  db: Database;
  /** One clock reading per request, so every price in a response is of the same moment. */
  now: Date;
  ledger: LedgerBalances;
}

export function createContextFactory(deps: MerchantsDeps, ledger: LedgerBalances) {
  return (base: BaseContext): MerchantsContext => {
    const repo = createMerchantsRepository(deps.db);
    const now = new Date();
    return { ...base, repo, db: deps.db, now, ledger, loaders: createLoaders(repo, now) };
  };
}
