import type { BaseContext } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { createLoaders, type Loaders } from './loaders.ts';
import { createGreenRepository, type GreenRepository } from './repositories/greenRepository.ts';

export interface GreenDeps {
  db: Database;
}

export interface GreenContext extends BaseContext {
  repo: GreenRepository;
  loaders: Loaders;
  now: Date;
}

export function createContextFactory(deps: GreenDeps) {
  return (base: BaseContext): GreenContext => {
    const repo = createGreenRepository(deps.db);
    return { ...base, repo, now: new Date(), loaders: createLoaders(repo) };
  };
}
