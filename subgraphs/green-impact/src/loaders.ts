import { rowLoader } from '@greenpoints/common';
import type { GreenRepository } from './repositories/greenRepository.ts';

/** Built per request, so nothing is cached across callers. */
export function createLoaders(repo: GreenRepository) {
  let factors: ReturnType<GreenRepository['factors']> | undefined;
  return {
    profile: rowLoader((skus) => repo.profilesBySkus(skus), (p) => p.sku),
    /** The factor table is small; it is read once per request at most. */
    factors: () => (factors ??= repo.factors()),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
