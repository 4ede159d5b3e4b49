import type { Executor } from '@greenpoints/db';
import { earnRuleCopies, greenSkuVersions, ledgerEvents, merchantCopies, productCopies, userCopies } from '@greenpoints/db/schema/ledger';
import { erasePersonalFields, type Handler } from '@greenpoints/events';
import { and, eq, lt, sql } from 'drizzle-orm';
import { DEFAULT_POINTS_VALID_DAYS } from '../domain/earning.ts';

/**
 * Upserts a user's copy unless it already reflects a later event of that user (a larger outbox
 * position), so replaying old events never rolls the read model back.
 */
async function upsertUser(tx: Executor, userId: string, position: number, patch: { status?: string; householdId?: string | null; ageBand?: string | null }) {
  await tx
    .insert(userCopies)
    .values({ userId, status: patch.status ?? 'ACTIVE', householdId: patch.householdId ?? null, ageBand: patch.ageBand ?? null, position })
    .onConflictDoUpdate({ target: userCopies.userId, set: { ...patch, position, updatedAt: sql`now()` }, setWhere: lt(userCopies.position, position) });
}

async function upsertMerchant(tx: Executor, merchantId: string, position: number, patch: { name?: string; status?: string; settlementMinorPer100Points?: number; category?: string }) {
  await tx
    .insert(merchantCopies)
    .values({ merchantId, status: 'ACTIVE', settlementMinorPer100Points: 0, ...patch, position })
    .onConflictDoUpdate({ target: merchantCopies.merchantId, set: { ...patch, position, updatedAt: sql`now()` }, setWhere: lt(merchantCopies.position, position) });
}

export const onUserRegistered: Handler<'UserRegistered'> = (tx, e) =>
  upsertUser(tx, e.payload.userId, e.position, { status: e.payload.status, ageBand: e.payload.ageBand ?? null });
/** A band erased by the person's deletion (the stored event no longer carries it) reads as none. */
export const onUserAgeBandChanged: Handler<'UserAgeBandChanged'> = (tx, e) => upsertUser(tx, e.payload.userId, e.position, { ageBand: e.payload.ageBand ?? null });
export const onUserStatusChanged: Handler<'UserStatusChanged'> = (tx, e) => upsertUser(tx, e.payload.userId, e.position, { status: e.payload.status });
/**
 * The copy forgets the band, and so do the ledger's own copies of the person's events (inbox, dead
 * letters), in the same transaction: every earlier event of the user was applied or dead-lettered first.
 */
export const onUserDeleted: Handler<'UserDeleted'> = async (tx, e) => {
  await upsertUser(tx, e.payload.userId, e.position, { status: 'ERASED', householdId: null, ageBand: null });
  await erasePersonalFields(tx, ledgerEvents, e.payload.userId);
};
export const onHouseholdMemberJoined: Handler<'HouseholdMemberJoined'> = (tx, e) =>
  upsertUser(tx, e.payload.userId, e.position, { householdId: e.payload.householdId });

export const onHouseholdMemberLeft: Handler<'HouseholdMemberLeft'> = async (tx, e) => {
  // Leaving clears the household only if it is still the one left; the position guard applies too.
  await tx
    .update(userCopies)
    .set({ householdId: null, position: e.position, updatedAt: sql`now()` })
    .where(and(eq(userCopies.userId, e.payload.userId), eq(userCopies.householdId, e.payload.householdId), lt(userCopies.position, e.position)));
};

export const onMerchantRegistered: Handler<'MerchantRegistered'> = (tx, e) =>
  upsertMerchant(tx, e.payload.merchantId, e.position, { name: e.payload.name, status: e.payload.status, settlementMinorPer100Points: e.payload.settlementMinorPer100Points, category: e.payload.category });
export const onMerchantStatusChanged: Handler<'MerchantStatusChanged'> = (tx, e) =>
  upsertMerchant(tx, e.payload.merchantId, e.position, { status: e.payload.status });
/** The name and category serve a transaction's merchant (`@provides`) and analytics by category. */
export const onMerchantProfileUpdated: Handler<'MerchantProfileUpdated'> = (tx, e) =>
  upsertMerchant(tx, e.payload.merchantId, e.position, { name: e.payload.name, category: e.payload.category });

/** Rule and profile versions are immutable once published, so inserting is enough. */
export const onEarnRulePublished: Handler<'EarnRulePublished'> = async (tx, e) => {
  const r = e.payload;
  await tx
    .insert(earnRuleCopies)
    .values({
      merchantId: r.merchantId,
      version: r.version,
      pointsPerYuan: r.pointsPerYuan,
      pendingDays: r.pendingDays,
      perOrderCap: r.perOrderCap,
      // Versions published before overrides and terms existed carry neither: none, and a year.
      categoryPointsPerYuan: Object.fromEntries((r.categoryOverrides ?? []).map((o) => [o.category, o.pointsPerYuan])),
      pointsValidDays: r.pointsValidDays ?? DEFAULT_POINTS_VALID_DAYS,
      effectiveFrom: new Date(r.effectiveFrom),
    })
    .onConflictDoNothing();
};

export const onProductListed: Handler<'ProductListed'> = async (tx, e) => {
  const p = e.payload;
  await tx
    .insert(productCopies)
    .values({ sku: p.sku, merchantId: p.merchantId, priceMinor: p.priceMinor, category: p.category })
    .onConflictDoUpdate({ target: productCopies.sku, set: { merchantId: p.merchantId, priceMinor: p.priceMinor, category: p.category } });
};

export const onGreenProfilePublished: Handler<'GreenProfilePublished'> = async (tx, e) => {
  const p = e.payload;
  await tx
    .insert(greenSkuVersions)
    .values({ sku: p.sku, version: p.version, greenPointsPerUnit: p.greenPointsPerUnit, effectiveFrom: new Date(p.effectiveFrom) })
    .onConflictDoNothing();
};
