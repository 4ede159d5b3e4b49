import { z } from 'zod';
import { contract, count, instant } from './common.ts';

export const GreenProfilePublished = contract({
  type: 'GreenProfilePublished',
  stream: 'green-impact',
  version: 1,
  schema: z.strictObject({
    sku: z.string().min(1).max(64),
    version: z.number().int().positive(),
    category: z.string().min(1).max(60),
    greenPointsPerUnit: count,
    co2eGramsPerUnit: count,
    waterLitresPerUnit: count,
    plasticGramsPerUnit: count,
    factorKey: z.string().max(60).nullable(),
    factorVersion: z.number().int().nullable(),
    effectiveFrom: instant,
  }),
  aggregate: (p) => `sku:${p.sku}`,
});

/**
 * A verified green action (survey, training, recycling drop-off, e-receipt, public transport), recorded
 * by green-impact within its caps. Green-impact never issues points: the ledger consumes this and
 * issues `greenPoints` from the organiser's funded green budget (the alliance's when `organiserId` is
 * null), answering with GreenActivityCredited.
 */
export const GreenActivityRecorded = contract({
  type: 'GreenActivityRecorded',
  stream: 'green-impact',
  version: 1,
  schema: z.strictObject({
    activityId: z.uuid(),
    userId: z.uuid(),
    organiserId: z.uuid().nullable(),
    kind: z.string().min(1).max(40),
    greenPoints: count,
    occurredAt: instant,
  }),
  aggregate: (p) => `user:${p.userId}`,
});
