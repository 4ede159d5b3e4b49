import type { Executor } from '@greenpoints/db';
import { emissionFactors } from '@greenpoints/db/schema/green';
import { checkFactor, type FactorInput } from '../domain/factor.ts';

/**
 * Adds one factor version, as published. Versions are never edited: a revised figure is a new
 * version, and records already computed keep the version they pinned. A factor without its public
 * source is refused (checkFactor, and CHECKs in Postgres).
 */
export async function publishEmissionFactor(db: Executor, factor: FactorInput): Promise<void> {
  await db.insert(emissionFactors).values(checkFactor(factor));
}
