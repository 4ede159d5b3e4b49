import { groupLoader, isCleanText, isUuid, rowLoader } from '@greenpoints/common';
import DataLoader from 'dataloader';
import type { MerchantsRepository, ProductRow } from './repositories/merchantsRepository.ts';
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
    /** A page of products per merchant; every merchant of a list asks with the same page, so one query. */
    merchantProducts: new DataLoader<ProductPageKey, ProductRow[], string>(
      async (keys) => {
        const pages = new Map<string, Promise<ProductRow[]>>();
        const pageOf = (k: ProductPageKey) => {
          const id = `${k.afterSku ?? ''}\u0000${k.limit}`;
          let page = pages.get(id);
          if (!page) {
            const ids = keys.filter((o) => o.afterSku === k.afterSku && o.limit === k.limit).map((o) => o.merchantId);
            page = repo.productPages(ids, k.afterSku, k.limit);
            pages.set(id, page);
          }
          return page;
        };
        return Promise.all(keys.map(async (k) => (await pageOf(k)).filter((p) => p.merchantId === k.merchantId)));
      },
      { cacheKeyFn: (k) => `${k.merchantId}\u0000${k.afterSku ?? ''}\u0000${k.limit}` },
    ),
  };
}

export interface ProductPageKey {
  merchantId: string;
  afterSku: string | undefined;
  limit: number;
}
export type Loaders = ReturnType<typeof createLoaders>;
