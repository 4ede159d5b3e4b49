import { fileURLToPath } from 'node:url';
import { DEV_JWT_SECRET, DEV_SIGNING_SECRET } from '@greenpoints/common';
import { z } from 'zod';

const defaultSupergraph = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  /** The supergraph to serve; `--supergraph FILE` on the command line wins over this. */
  SUPERGRAPH_PATH: z.string().default(defaultSupergraph),
  /** HS256 secret for client JWTs. Unset: a development default, announced at start-up. */
  JWT_SECRET: z.string().min(16).optional(),
  SUBGRAPH_SIGNING_SECRET: z.string().min(16).default(DEV_SIGNING_SECRET),
  /** Per-subgraph URL overrides, e.g. SUBGRAPH_URL_LEDGER=http://ledger:4003/graphql. */
  SUBGRAPH_URL_USERS: z.string().url().optional(),
  SUBGRAPH_URL_MERCHANTS: z.string().url().optional(),
  SUBGRAPH_URL_LEDGER: z.string().url().optional(),
  SUBGRAPH_URL_GREEN_IMPACT: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface GatewayConfig {
  port: number;
  host: string;
  supergraphPath: string;
  jwtSecret: string;
  usingDevJwtSecret: boolean;
  signingSecret: string;
  subgraphUrls: Record<string, string>;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): GatewayConfig {
  const parsed = schema.parse(env);
  const flag = argv.indexOf('--supergraph');
  const fromFlag = flag >= 0 ? argv[flag + 1] : argv.find((a) => a.startsWith('--supergraph='))?.slice('--supergraph='.length);
  const subgraphUrls: Record<string, string> = {};
  const overrides = {
    users: parsed.SUBGRAPH_URL_USERS,
    merchants: parsed.SUBGRAPH_URL_MERCHANTS,
    ledger: parsed.SUBGRAPH_URL_LEDGER,
    'green-impact': parsed.SUBGRAPH_URL_GREEN_IMPACT,
  };
  for (const [name, url] of Object.entries(overrides)) if (url) subgraphUrls[name] = url;
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    supergraphPath: fromFlag ?? parsed.SUPERGRAPH_PATH,
    jwtSecret: parsed.JWT_SECRET ?? DEV_JWT_SECRET,
    usingDevJwtSecret: parsed.JWT_SECRET === undefined,
    signingSecret: parsed.SUBGRAPH_SIGNING_SECRET,
    subgraphUrls,
    logLevel: parsed.LOG_LEVEL,
  };
}
