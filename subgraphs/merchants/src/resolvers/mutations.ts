import { isUuid, type Principal } from '@greenpoints/common';
import { checkProductCategory, checkReward, checkSku, intInRange, MAX_NAME_LENGTH, requiredText, type RewardDraft } from '../domain/catalogRules.ts';
import { checkEarnRule, type EarnRuleDraft } from '../domain/earnRules.ts';
import { merchantsError } from '../errors.ts';
import type { MerchantsContext } from '../context.ts';
import { listProduct, publishEarnRule } from '../operations/catalogPublishing.ts';
import { changeMerchantStatus, registerMerchant, updateMerchantProfile } from '../operations/merchantLifecycle.ts';
import { upsertReward } from '../operations/upsertReward.ts';
import { publishPromotion } from '../operations/publishPromotion.ts';
import { checkPromotion, type PromotionDraft } from '../domain/promotions.ts';

const MAX_SETTLEMENT_MINOR_PER_100_POINTS = 100_000;

function merchantIdArg(id: string, argument = 'merchantId'): string {
  if (!isUuid(id)) throw merchantsError('BAD_USER_INPUT', `${argument} is not an id`, { argument });
  return id;
}

/**
 * The gateway lets any merchant principal reach these mutations; the row rule is here: a merchant
 * acts only on its own merchant, admins on any.
 */
function requireOwnMerchant(principal: Principal, merchantId: string): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'merchant' && principal.merchantId === merchantId) return;
  throw merchantsError('FORBIDDEN', 'A merchant edits only its own profile, products and rewards', { argument: 'merchantId' });
}

function requireAdmin(principal: Principal): void {
  // Auditors are staff but read-only: only admins admit and suspend.
  if (principal.role !== 'admin') throw merchantsError('FORBIDDEN', 'Only admins admit and suspend merchants');
}

const merchantById = async (ctx: MerchantsContext, id: string) => (await ctx.repo.merchantsByIds([id]))[0] ?? null;

export const mutations = {
  registerMerchant: async (_: unknown, args: { input: { name: string; category: string; settlementMinorPer100Points: number } }, ctx: MerchantsContext) => {
    requireAdmin(ctx.principal);
    const id = await registerMerchant(ctx.db, {
      name: requiredText(args.input.name, 'input.name', MAX_NAME_LENGTH),
      category: args.input.category,
      settlementMinorPer100Points: intInRange(args.input.settlementMinorPer100Points, 'input.settlementMinorPer100Points', 0, MAX_SETTLEMENT_MINOR_PER_100_POINTS),
    });
    return merchantById(ctx, id);
  },
  setMerchantStatus: async (_: unknown, args: { merchantId: string; status: 'ACTIVE' | 'SUSPENDED' }, ctx: MerchantsContext) => {
    requireAdmin(ctx.principal);
    const id = merchantIdArg(args.merchantId);
    await changeMerchantStatus(ctx.db, id, args.status);
    return merchantById(ctx, id);
  },
  updateMerchantProfile: async (_: unknown, args: { merchantId: string; input: { name?: string | null; category?: string | null } }, ctx: MerchantsContext) => {
    const id = merchantIdArg(args.merchantId);
    requireOwnMerchant(ctx.principal, id);
    await updateMerchantProfile(ctx.db, id, {
      name: args.input.name == null ? undefined : requiredText(args.input.name, 'input.name', MAX_NAME_LENGTH),
      category: args.input.category ?? undefined,
    });
    return merchantById(ctx, id);
  },
  listProduct: async (_: unknown, args: { merchantId: string; input: { sku: string; name: string; priceMinor: number; category: string } }, ctx: MerchantsContext) => {
    const id = merchantIdArg(args.merchantId);
    requireOwnMerchant(ctx.principal, id);
    const product = {
      sku: checkSku(args.input.sku),
      name: requiredText(args.input.name, 'input.name', MAX_NAME_LENGTH),
      priceMinor: intInRange(args.input.priceMinor, 'input.priceMinor', 0, 2_147_483_647),
      category: checkProductCategory(args.input.category),
    };
    await listProduct(ctx.db, id, product);
    return (await ctx.repo.productsBySkus([product.sku]))[0] ?? null;
  },
  upsertReward: async (_: unknown, args: { merchantId: string; input: RewardDraft & { id?: string | null } }, ctx: MerchantsContext) => {
    const id = merchantIdArg(args.merchantId);
    requireOwnMerchant(ctx.principal, id);
    const rewardId = args.input.id == null ? undefined : merchantIdArg(args.input.id, 'input.id');
    const saved = await upsertReward(ctx.db, id, checkReward(args.input, ctx.now), rewardId);
    return (await ctx.repo.rewardsByIds([saved]))[0] ?? null;
  },
  publishPromotion: async (_: unknown, args: { merchantId: string; input: PromotionDraft }, ctx: MerchantsContext) => {
    const id = merchantIdArg(args.merchantId);
    requireOwnMerchant(ctx.principal, id);
    const publishedAt = new Date();
    const promotionId = await publishPromotion(ctx.db, id, checkPromotion(args.input, publishedAt), publishedAt);
    return ctx.loaders.promotion.load(promotionId);
  },
  publishEarnRule: async (_: unknown, args: { merchantId: string; input: EarnRuleDraft }, ctx: MerchantsContext) => {
    const id = merchantIdArg(args.merchantId);
    requireOwnMerchant(ctx.principal, id);
    const version = await publishEarnRule(ctx.db, id, checkEarnRule(args.input));
    return (await ctx.repo.earnRuleHistories([id])).find((r) => r.version === version) ?? null;
  },
};
