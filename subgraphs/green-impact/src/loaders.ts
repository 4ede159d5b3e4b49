import { isCleanText, rowLoader } from '@greenpoints/common';
import type { GreenRepository } from './repositories/greenRepository.ts';

/** SKUs are at most this long everywhere; a longer or malformed one cannot exist and is not looked up. */
export const MAX_SKU_LENGTH = 64;

/** Built per request, so nothing is cached across callers. */
export function createLoaders(repo: GreenRepository) {
  let factors: ReturnType<GreenRepository['factors']> | undefined;
  return {
    profile: rowLoader((skus) => repo.profilesBySkus(skus), (p) => p.sku, (sku) => isCleanText(sku, MAX_SKU_LENGTH)),
    /** The factor table is small; it is read once per request at most. */
    factors: () => (factors ??= repo.factors()),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
