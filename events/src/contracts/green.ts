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
