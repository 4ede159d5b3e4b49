import { groupLoader, isCleanText, isUuid, rowLoader } from '@greenpoints/common';
import type { MerchantsRepository } from './repositories/merchantsRepository.ts';
import { MAX_SKU_LENGTH } from './resolvers/inputs.ts';

/** Built per request, so nothing is cached across callers. */
export function createLoaders(repo: MerchantsRepository, now: Date) {
  return {
    merchant: rowLoader((ids) => repo.merchantsByIds(ids), (r) => r.id, isUuid),
    product: rowLoader((skus) => repo.productsBySkus(skus), (r) => r.sku, (sku) => isCleanText(sku, MAX_SKU_LENGTH)),
    reward: rowLoader((ids) => repo.rewardsByIds(ids), (r) => r.id, isUuid),
    merchantRewards: groupLoader((ids) => repo.rewardsByMerchants(ids, now), (r) => r.merchantId),
    earnRuleHistory: groupLoader((ids) => repo.earnRuleHistories(ids), (r) => r.merchantId),
    earnRule: rowLoader((ids) => repo.currentEarnRules(ids, now), (r) => r.merchantId, isUuid),
    promotion: rowLoader((ids) => repo.promotionsByIds(ids), (r) => r.id, isUuid),
    merchantPromotions: groupLoader((ids) => repo.promotionsByMerchants(ids, now), (r) => r.merchantId),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
