import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, jsonb, numeric, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { outboxTables } from './outbox.ts';

export const greenSchema = pgSchema('green');

/** Emission factors are versioned; an impact record pins the version it used, so reports stay reproducible. */
export const emissionFactors = greenSchema.table(
  'emission_factors',
  {
    key: text('key').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    /** Exact decimal as published (e.g. 0.5366), never a float. */
    value: numeric('value', { precision: 18, scale: 6 }).notNull(),
    unit: text('unit').notNull(),
    source: text('source').notNull(),
    sourceUrl: text('source_url'),
    year: integer('year').notNull(),
    publishedOn: date('published_on', { mode: 'string' }),
  },
  (t) => [
    primaryKey({ name: 'emission_factors_pk', columns: [t.key, t.version] }),
    // A factor without its public source, unit or year is never stored (also checked in code).
    check('emission_factors_source_check', sql`length(btrim(${t.source})) >= 10`),
    check('emission_factors_unit_check', sql`length(btrim(${t.unit})) > 0`),
    check('emission_factors_year_check', sql`${t.year} BETWEEN 1990 AND 2100`),
    check('emission_factors_value_check', sql`${t.value} > 0`),
  ],
);

/** Every factor version a profile's per-unit impact rests on (the grid factor, lamp powers…). */
export type FactorRefs = { key: string; version: number }[];

export const greenProfiles = greenSchema.table(
  'green_profiles',
  {
    sku: text('sku').primaryKey(),
    category: text('category').notNull(),
    certification: text('certification'),
    co2eGramsPerUnit: integer('co2e_grams_per_unit').notNull(),
    waterLitresPerUnit: integer('water_litres_per_unit').notNull().default(0),
    plasticGramsPerUnit: integer('plastic_grams_per_unit').notNull().default(0),
    greenPointsPerUnit: integer('green_points_per_unit').notNull(),
    /** How the per-unit impact was derived, in words, and the factor it rests on. */
    basis: text('basis').notNull(),
    factorKey: text('factor_key'),
    factorVersion: integer('factor_version'),
    factorRefs: jsonb('factor_refs').$type<FactorRefs>().notNull().default([]),
    /** The current published version; every version is kept in green_profile_versions. */
    version: integer('version').notNull().default(1),
  },
  (t) => [check('green_profiles_points_check', sql`${t.greenPointsPerUnit} >= 0`)],
);

/**
 * Every published version of a green profile, with the moment it takes effect: an impact record is
 * computed from the version (and so the emission factor version) in force at the purchase time.
 */
export const greenProfileVersions = greenSchema.table(
  'green_profile_versions',
  {
    sku: text('sku').notNull(),
    version: integer('version').notNull(),
    category: text('category').notNull(),
    certification: text('certification'),
    co2eGramsPerUnit: integer('co2e_grams_per_unit').notNull(),
    waterLitresPerUnit: integer('water_litres_per_unit').notNull(),
    plasticGramsPerUnit: integer('plastic_grams_per_unit').notNull(),
    greenPointsPerUnit: integer('green_points_per_unit').notNull(),
    basis: text('basis').notNull(),
    factorKey: text('factor_key'),
    factorVersion: integer('factor_version'),
    factorRefs: jsonb('factor_refs').$type<FactorRefs>().notNull().default([]),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'green_profile_versions_pk', columns: [t.sku, t.version] })],
);

/** One record per green purchase line or green activity; derived deterministically from ledger events. */
export const impactRecords = greenSchema.table(
  'impact_records',
  {
    id: uuid('id').primaryKey(),
    /** e.g. `purchase:<id>:<line>`; unique so a replayed event never counts twice. */
    sourceRef: text('source_ref').notNull().unique('impact_records_source_ref_key'),
    userId: uuid('user_id').notNull(),
    merchantId: uuid('merchant_id'),
    sku: text('sku'),
    category: text('category').notNull(),
    quantity: integer('quantity').notNull(),
    co2eGrams: bigint('co2e_grams', { mode: 'number' }).notNull(),
    waterLitres: bigint('water_litres', { mode: 'number' }).notNull(),
    plasticGrams: bigint('plastic_grams', { mode: 'number' }).notNull(),
    greenPoints: bigint('green_points', { mode: 'number' }).notNull(),
    factorKey: text('factor_key'),
    factorVersion: integer('factor_version'),
    /** The green profile version the record was computed from (null for an activity). */
    profileVersion: integer('profile_version'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('impact_records_user_occurred_idx').on(t.userId, t.occurredAt),
    index('impact_records_merchant_occurred_idx').on(t.merchantId, t.occurredAt),
    index('impact_records_occurred_idx').on(t.occurredAt),
  ],
);

export const greenEvents = outboxTables(greenSchema);
export const { outbox: greenOutbox, inbox: greenInbox, processedEvents: greenProcessedEvents, deadLetters: greenDeadLetters } = greenEvents;
