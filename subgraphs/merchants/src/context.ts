import type { BaseContext } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { createLoaders, type Loaders } from './loaders.ts';
import { createMerchantsRepository, type MerchantsRepository } from './repositories/merchantsRepository.ts';

export interface MerchantsDeps {
  db: Database;
}

export interface MerchantsContext extends BaseContext {
  loaders: Loaders;
  repo: MerchantsRepository;
  /** For the operations that write (each opens its own transaction). */
  db: Database;
  /** One clock reading per request, so every price in a response is of the same moment. */
  now: Date;
}

export function createContextFactory(deps: MerchantsDeps) {
  return (base: BaseContext): MerchantsContext => {
    const repo = createMerchantsRepository(deps.db);
    const now = new Date();
    return { ...base, repo, db: deps.db, now, loaders: createLoaders(repo, now) };
  };
}
