import { DAY_MS } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { emissionFactors } from '@greenpoints/db/schema/green';
import * as merchantsDb from '@greenpoints/db/schema/merchants';
import { publishEmissionFactor } from '@greenpoints/green-impact/operations/publishEmissionFactor';
import { publishGreenProfile } from '@greenpoints/green-impact/operations/publishGreenProfile';
import { listProduct, publishEarnRule } from '@greenpoints/merchants/operations/catalogPublishing';
import { registerMerchant } from '@greenpoints/merchants/operations/merchantLifecycle';
import { publishPromotion } from '@greenpoints/merchants/operations/publishPromotion';
import { insertAll } from './bulk.ts';
import { EMISSION_FACTORS, GREEN_PROFILES, type MerchantSeed } from './catalog.ts';
import type { Random } from './random.ts';

export type SeededMerchant = MerchantSeed & { id: string };

/**
 * Emission factors and green profiles, first: green-impact's consumer reads the profiles when it
 * turns each batch's PurchaseRecorded events into impact records. Each factor goes through the
 * operation that refuses one without its public source. Skipped when already there (one transaction).
 */
export async function writeGreenCatalog(db: Database, since: Date): Promise<void> {
  await db.transaction(async (tx) => {
    if ((await tx.select({ key: emissionFactors.key }).from(emissionFactors).limit(1)).length > 0) return;
    for (const factor of EMISSION_FACTORS) await publishEmissionFactor(tx, factor);
    for (const profile of GREEN_PROFILES) await publishGreenProfile(tx, profile, since);
  });
}

/**
 * Merchants, products, rules, promotions and rewards through the services' own publishing
 * operations, last and in one transaction: merchants are what `isEmpty` looks for, so a seed
 * interrupted before this point is resumed by the next one rather than served half-written.
 */
export async function writeMerchants(db: Database, random: Random, merchants: SeededMerchant[], now: Date, since: Date): Promise<void> {
  await db.transaction(async (tx) => {
    for (const m of merchants) {
      await registerMerchant(tx, { id: m.id, name: m.name, category: m.category, settlementMinorPer100Points: m.settlementMinorPer100Points, createdAt: since });
      for (const p of m.products) await listProduct(tx, m.id, p, since);
      await publishEarnRule(tx, m.id, { ...m.rule, effectiveFrom: since, publishedAt: since });
      for (const p of m.promotions ?? []) {
        const startsAt = new Date(now.getTime() + p.startInDays * DAY_MS);
        const { startInDays: _start, lengthDays, ...terms } = p;
        await publishPromotion(tx, m.id, { ...terms, startsAt, endsAt: new Date(startsAt.getTime() + lengthDays * DAY_MS), tiers: [], productCategories: [], stackable: false }, now);
      }
    }
    // Rewards publish no events: nothing outside their subgraph keeps a copy.
    await insertAll(tx, merchantsDb.rewards, merchants.flatMap((m) => m.rewards.map((r) => ({
      id: random.uuid(), merchantId: m.id, title: r.title, kind: r.kind, pointsCost: r.pointsCost,
      salePointsCost: r.sale?.pointsCost ?? null,
      saleStartsAt: r.sale ? new Date(now.getTime() - r.sale.startDaysAgo * DAY_MS) : null,
      saleEndsAt: r.sale ? new Date(now.getTime() + (r.sale.lengthDays - r.sale.startDaysAgo) * DAY_MS) : null,
      stock: r.stock, validFrom: since, validUntil: null, terms: r.terms,
    }))));
  });
}
