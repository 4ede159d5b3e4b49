import type { Executor } from '@greenpoints/db';
import { greenOutbox, greenProfiles, greenProfileVersions } from '@greenpoints/db/schema/green';
import { publish } from '@greenpoints/events';
import { desc, eq, sql } from 'drizzle-orm';
import type { FactorRef } from '../domain/factor.ts';

export interface GreenProfileInput {
  sku: string;
  category: string;
  certification: string | null;
  co2eGramsPerUnit: number;
  waterLitresPerUnit: number;
  plasticGramsPerUnit: number;
  greenPointsPerUnit: number;
  basis: string;
  /** The main factor (the grid factor, usually), shown with the profile. */
  factorKey: string | null;
  factorVersion: number | null;
  /** Every factor version the per-unit impact rests on, the main one included. */
  factors: FactorRef[];
}

/** The profile's factor list, with its main factor first and no duplicates. */
function withMainFactor(profile: GreenProfileInput, factors: FactorRef[]): FactorRef[] {
  const main = profile.factorKey !== null && profile.factorVersion !== null ? [{ key: profile.factorKey, version: profile.factorVersion }] : [];
  const seen = new Set<string>();
  return [...main, ...factors].filter((f) => {
    const id = `${f.key}@${f.version}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * Publishes the next version of a SKU's green profile: kept as a version (impact records pin the
 * version in force at purchase time), made current, and published as GreenProfilePublished so the
 * ledger earns green points by it. The advisory lock numbers concurrent versions of a SKU in order.
 */
export async function publishGreenProfile(db: Executor, profile: GreenProfileInput, effectiveFrom: Date = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`green-profile:${profile.sku}`}))`);
    const [latest] = await tx
      .select({ version: greenProfileVersions.version })
      .from(greenProfileVersions)
      .where(eq(greenProfileVersions.sku, profile.sku))
      .orderBy(desc(greenProfileVersions.version))
      .limit(1);
    const version = (latest?.version ?? 0) + 1;
    const { factors, ...fields } = profile;
    const factorRefs = withMainFactor(profile, factors);
    await tx.insert(greenProfileVersions).values({ ...fields, factorRefs, version, effectiveFrom });
    await tx
      .insert(greenProfiles)
      .values({ ...fields, factorRefs, version })
      .onConflictDoUpdate({ target: greenProfiles.sku, set: { ...fields, factorRefs, version } });
    await publish(
      tx,
      greenOutbox,
      'GreenProfilePublished',
      {
        sku: profile.sku,
        version,
        category: profile.category,
        greenPointsPerUnit: profile.greenPointsPerUnit,
        co2eGramsPerUnit: profile.co2eGramsPerUnit,
        waterLitresPerUnit: profile.waterLitresPerUnit,
        plasticGramsPerUnit: profile.plasticGramsPerUnit,
        factorKey: profile.factorKey,
        factorVersion: profile.factorVersion,
        effectiveFrom: effectiveFrom.toISOString(),
      },
      effectiveFrom,
    );
    return version;
  });
}
