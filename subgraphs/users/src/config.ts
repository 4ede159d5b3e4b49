import { z } from 'zod';
import { loadSubgraphConfig, subgraphConfigSchema } from '@greenpoints/common';

/** A comma-separated list, blanks dropped. */
const commaList = () =>
  z
    .string()
    .default('')
    .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean));

const schema = subgraphConfigSchema(4001).extend({
  /** The size cap of households created from now on; existing ones keep the cap they were created with. */
  HOUSEHOLD_MAX_MEMBERS: z.coerce.number().int().min(2).max(20).default(6),
  /**
   * Keys retired by a rotation, comma-separated: rows sealed under them stay readable until
   * `npm run rotate-pii-key -w subgraphs/users` re-seals them under PII_KEY.
   */
  PII_PREVIOUS_KEYS: commaList(),
  /** The privacy notice in force; raise it when the notice changes, and consents are asked again under it. */
  CONSENT_NOTICE_VERSION: z.string().min(1).max(40).default('2026-01'),
  /**
   * Earlier notices whose consents still hold under the one in force (a notice revised without a
   * new purpose), comma-separated. A consent given under any other notice no longer counts.
   */
  CONSENT_NOTICES_COVERED: commaList(),
});

/** PII_KEY encrypts personal fields (phone) at rest; required in production like the signing secret. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env) => loadSubgraphConfig(schema, env, ['PII_KEY']);
export type UsersConfig = ReturnType<typeof loadConfig>;
