import type { BaseContext } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { createLoaders, type Loaders } from './loaders.ts';
import { createUsersRepository } from './repositories/usersRepository.ts';

export interface UsersDeps {
  db: Database;
  piiKey: string;
}

export interface UsersContext extends BaseContext {
  loaders: Loaders;
  piiKey: string;
}

export function createContextFactory(deps: UsersDeps) {
  return (base: BaseContext): UsersContext => ({
    ...base,
    loaders: createLoaders(createUsersRepository(deps.db)),
    piiKey: deps.piiKey,
  });
}
