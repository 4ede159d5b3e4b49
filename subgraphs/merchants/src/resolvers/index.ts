import { cleanText, DateTime, decodeCursor, isStaff, pageSize, toConnection } from '@greenpoints/common';
import { merchantsError } from '../errors.ts';
import { mutations } from './mutations.ts';
import { StockReservation, stockMutations } from './stock.ts';
import { programRules } from '../domain/programRules.ts';
import type { MerchantsContext } from '../context.ts';
import { currentPointsCost, saleActive } from '../domain/rewardPrice.ts';
import type { CatalogCursor, CatalogOrder, EarnRuleRow, MerchantRow, ProductRow, PromotionRow, RewardRow } from '../repositories/merchantsRepository.ts';
import { ageBandToApi } from '../domain/promotions.ts';
import { overridesList } from '../domain/earnRules.ts';
import { isCostCursor, isIdCursor, isNewestCursor, isSkuCursor, MAX_SKU_LENGTH, catalogFilter } from './inputs.ts';

/** programRules discloses at most this many promotions (soonest first): a bound on one public answer. */
const MAX_DISCLOSED_PROMOTIONS = 200;

interface Page {
  first?: number | null;
  after?: string | null;
}

interface CatalogArgs extends Page {
  filter?: Parameters<typeof catalogFilter>[0];
  orderBy?: CatalogOrder | null;
}

export const resolvers = {
  DateTime,
  Mutation: { ...mutations, ...stockMutations },
  StockReservation,
  Query: {
    merchants: async (_: unknown, args: Page & { category?: string | null }, ctx: MerchantsContext) => {
      const size = pageSize(args.first);
      const after = args.after ? decodeCursor(args.after, isIdCursor) : undefined;
      const rows = await ctx.repo.listMerchants({ category: args.category ?? undefined, afterId: after?.id, limit: size + 1 });
      return toConnection(rows, size, (m) => ({ id: m.id }), Boolean(after));
    },
    merchant: (_: unknown, args: { id: string }, ctx: MerchantsContext) => ctx.loaders.merchant.load(args.id),
    catalog: async (_: unknown, args: CatalogArgs, ctx: MerchantsContext) => {
      const size = pageSize(args.first);
      const order = args.orderBy ?? 'CURRENT_COST_ASC';
      // A cursor of one order is meaningless in another: it fails the shape check, so BAD_USER_INPUT.
      const after = args.after ? decodeCursor<CatalogCursor>(args.after, order === 'NEWEST' ? isNewestCursor : isCostCursor) : undefined;
      const rows = await ctx.repo.catalog({ ...catalogFilter(args.filter), order, after, limit: size + 1, now: ctx.now });
      const connection = toConnection(rows, size, (r) => (order === 'NEWEST' ? { at: r.createdAt, id: r.reward.id } : { cost: r.cost, id: r.reward.id }), Boolean(after));
      return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: e.node.reward })) };
    },
    reward: (_: unknown, args: { id: string }, ctx: MerchantsContext) => ctx.loaders.reward.load(args.id),
    product: (_: unknown, args: { sku: string }, ctx: MerchantsContext) =>
      ctx.loaders.product.load(cleanText(args.sku, 'sku', MAX_SKU_LENGTH)),
    programRules: async (_: unknown, __: unknown, ctx: MerchantsContext) => ({
      ...programRules(await ctx.repo.termsInForce(ctx.now)),
      promotions: (await ctx.repo.promotionsNotEnded(ctx.now, MAX_DISCLOSED_PROMOTIONS)).map((r) => r.promotion),
    }),
  },
  Merchant: {
    __resolveReference: (ref: { id: string }, ctx: MerchantsContext) => ctx.loaders.merchant.load(ref.id),
    earnRule: (m: MerchantRow, _: unknown, ctx: MerchantsContext) => ctx.loaders.earnRule.load(m.id),
    earnRuleHistory: (m: MerchantRow, _: unknown, ctx: MerchantsContext) => ctx.loaders.earnRuleHistory.load(m.id),
    // The gateway lets merchants reach this field; only this row's own merchant may read it.
    settlementMinorPer100Points: (m: MerchantRow, _: unknown, ctx: MerchantsContext) => {
      if (isStaff(ctx.principal) || (ctx.principal.role === 'merchant' && ctx.principal.merchantId === m.id)) return m.settlementMinorPer100Points;
      throw merchantsError('FORBIDDEN', "Only the merchant itself, admins and auditors may read a settlement price");
    },
    rewards: (m: MerchantRow, _: unknown, ctx: MerchantsContext) => ctx.loaders.merchantRewards.load(m.id),
    promotions: (m: MerchantRow, _: unknown, ctx: MerchantsContext) => ctx.loaders.merchantPromotions.load(m.id),
    products: async (m: MerchantRow, args: Page, ctx: MerchantsContext) => {
      const size = pageSize(args.first);
      const after = args.after ? decodeCursor(args.after, isSkuCursor) : undefined;
      const rows = await ctx.loaders.merchantProducts.load({ merchantId: m.id, afterSku: after?.sku, limit: size + 1 });
      return toConnection(rows, size, (p) => ({ sku: p.sku }), Boolean(after));
    },
  },
  Promotion: {
    __resolveReference: (ref: { id: string }, ctx: MerchantsContext) => ctx.loaders.promotion.load(ref.id),
    merchant: (p: PromotionRow, _: unknown, ctx: MerchantsContext) => ctx.loaders.merchant.load(p.merchantId),
    active: (p: PromotionRow, _: unknown, ctx: MerchantsContext) => p.startsAt <= ctx.now && ctx.now < p.endsAt,
    ageBands: (p: PromotionRow) => p.ageBands.flatMap((band) => ageBandToApi(band) ?? []),
  },
  EarnRule: {
    categoryOverrides: (r: EarnRuleRow) => overridesList(r.categoryPointsPerYuan),
  },
  Product: {
    __resolveReference: (ref: { sku: string }, ctx: MerchantsContext) => ctx.loaders.product.load(ref.sku),
    merchant: (p: ProductRow, _: unknown, ctx: MerchantsContext) => ctx.loaders.merchant.load(p.merchantId),
  },
  Reward: {
    __resolveReference: (ref: { id: string }, ctx: MerchantsContext) => ctx.loaders.reward.load(ref.id),
    merchant: (r: RewardRow, _: unknown, ctx: MerchantsContext) => ctx.loaders.merchant.load(r.merchantId),
    currentPointsCost: (r: RewardRow, _: unknown, ctx: MerchantsContext) => currentPointsCost(r, ctx.now),
    inStock: (r: RewardRow) => r.stock > 0,
    sale: (r: RewardRow, _: unknown, ctx: MerchantsContext) =>
      r.salePointsCost !== null && r.saleStartsAt && r.saleEndsAt
        ? { pointsCost: r.salePointsCost, startsAt: r.saleStartsAt, endsAt: r.saleEndsAt, active: saleActive(r, ctx.now) }
        : null,
  },
};
