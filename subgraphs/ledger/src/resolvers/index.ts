import { canonicalId, DateTime, isSelfOrStaff, JSONScalar } from '@greenpoints/common';
import type { LedgerContext } from '../context.ts';
import { LedgerError } from '../errors.ts';
import { ledgerExport } from '../export/ledgerExport.ts';
import { recordPurchase, type PurchaseInput } from '../operations/recordPurchase.ts';
import { mutationResolvers, redemptionResolvers, householdResolvers } from './mutations.ts';
import { lotDates } from '../domain/earning.ts';
import type { PurchaseRow, TransactionRow } from '../repositories/transactionsRepository.ts';
import { pointsAccountResolvers, type PointsAccountParent } from './pointsAccount.ts';

/** A transaction as one user sees it (their own side of a transfer). */
type ViewedTransaction = TransactionRow & { viewerId?: string };
const deltaKey = (t: ViewedTransaction) => `${t.id}|${t.viewerId ?? t.userId ?? ''}`;

export const resolvers = {
  DateTime,
  JSON: JSONScalar,
  DataExport: {
    ledger: (ref: { userId: string }, _: unknown, ctx: LedgerContext) => {
      if (!isSelfOrStaff(ctx.principal, ref.userId)) throw new LedgerError('FORBIDDEN', "You may not export another user's data");
      return ledgerExport(ctx.db, canonicalId(ref.userId));
    },
  },
  User: {
    __resolveReference: (ref: { id: string; sharedWithPartner?: boolean }) => ({ id: canonicalId(ref.id), sharedWithPartner: ref.sharedWithPartner }),
    /**
     * Points are personal: only the user themself, admins and auditors may read them, and another
     * subgraph's signed service principal (merchants' affordableForMe asks for the caller's
     * balance); no client can present one.
     */
    points: (user: { id: string }, _: unknown, ctx: LedgerContext): PointsAccountParent => {
      if (!isSelfOrStaff(ctx.principal, user.id) && ctx.principal.role !== 'service') throw new LedgerError('FORBIDDEN', "You may not read another user's points");
      return { userId: user.id };
    },
    /**
     * For partners: the users subgraph decides consent (`sharedWithPartner`, required from it in
     * the gateway's plan); a partner cannot send that representation itself.
     */
    partnerBalance: (user: { id: string; sharedWithPartner?: boolean }, _: unknown, ctx: LedgerContext): PointsAccountParent => {
      if (ctx.principal.role !== 'partner') throw new LedgerError('FORBIDDEN', 'The partner balance is for partners');
      if (user.sharedWithPartner !== true) throw new LedgerError('CONSENT_REQUIRED', 'The user has not agreed to share their profile with partners');
      return { userId: user.id };
    },
  },
  PartnerBalance: {
    points: (p: PointsAccountParent, _: unknown, ctx: LedgerContext) => pointsAccountResolvers.balance(p, { asset: 'POINTS' }, ctx),
    pendingPoints: (p: PointsAccountParent, _: unknown, ctx: LedgerContext) => pointsAccountResolvers.pending(p, { asset: 'POINTS' }, ctx),
    greenPoints: (p: PointsAccountParent, _: unknown, ctx: LedgerContext) => pointsAccountResolvers.balance(p, { asset: 'GREEN_POINTS' }, ctx),
  },
  PointsAccount: pointsAccountResolvers,
  Transaction: {
    // The merchant's name and category come from the ledger's copy (`@provides`), so the gateway
    // does not ask the merchants subgraph for a page of transactions. Every merchant a transaction
    // names was known to the ledger when it was written, and its copy has a name from migration 0019 on.
    merchant: async (t: TransactionRow, _: unknown, ctx: LedgerContext) => {
      if (!t.merchantId) return null;
      const copy = await ctx.loaders.merchantCopy.load(t.merchantId);
      if (!copy?.name || !copy.category) throw new LedgerError('UNKNOWN_MERCHANT', 'The merchant of this transaction is not known to the ledger yet');
      return { id: t.merchantId, name: copy.name, category: copy.category };
    },
    points: async (t: ViewedTransaction, _: unknown, ctx: LedgerContext) => (await ctx.loaders.userDelta.load(deltaKey(t))).points,
    greenPoints: async (t: ViewedTransaction, _: unknown, ctx: LedgerContext) => (await ctx.loaders.userDelta.load(deltaKey(t))).greenPoints,
  },
  Redemption: redemptionResolvers,
  Household: householdResolvers,
  Purchase: {
    user: (p: PurchaseRow) => ({ id: p.userId }),
    merchant: (p: PurchaseRow) => ({ id: p.merchantId }),
    promotions: (p: PurchaseRow) => p.promotionIds.map((id) => ({ id })),
    // The dates the lot got when earned, by the rule version the purchase was earned under.
    availableAt: async (p: PurchaseRow, _: unknown, ctx: LedgerContext) => {
      const rule = await ctx.repo.earnRuleVersion(p.merchantId, p.earnRuleVersion);
      return lotDates(p.occurredAt, rule?.pendingDays ?? 0, rule?.pointsValidDays).availableAt;
    },
    expiresAt: async (p: PurchaseRow, _: unknown, ctx: LedgerContext) => {
      const rule = await ctx.repo.earnRuleVersion(p.merchantId, p.earnRuleVersion);
      return lotDates(p.occurredAt, rule?.pendingDays ?? 0, rule?.pointsValidDays).expiresAt;
    },
    lines: (p: PurchaseRow, _: unknown, ctx: LedgerContext) => ctx.loaders.purchaseLines.load(p.id),
    transaction: (p: PurchaseRow, _: unknown, ctx: LedgerContext) => ctx.loaders.transaction.load(p.transactionId),
  },
  PurchaseLine: {
    product: (l: { sku: string }) => ({ sku: l.sku }),
  },
  Mutation: {
    recordPurchase: (_: unknown, args: { input: PurchaseInput; idempotencyKey: string }, ctx: LedgerContext) =>
      // Ids in their one form: an upper-cased user id must not open a second account (owner ids are text).
      recordPurchase(ctx.db, ctx.principal, { ...args.input, userId: canonicalId(args.input.userId), merchantId: canonicalId(args.input.merchantId) }, args.idempotencyKey, new Date(), ctx.policy),
    ...mutationResolvers,
  },
};
