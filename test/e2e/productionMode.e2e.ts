// Proves every entry point refuses to start in production without each secret (or with its public default), in one line and exit 2, and announces each default in development.
import { randomBytes } from 'node:crypto';
import { SECRET_DEFAULTS, type SecretName } from '@greenpoints/common';
import { describe, expect, it } from 'vitest';
import { runToExit, runUntil, type Exited } from '../helpers/processes.ts';

/** Nothing listens on port 1: a service that wrongly got past its config fails, it never touches a database. */
const NO_DATABASE = 'postgres://postgres@127.0.0.1:1/greenpoints_never';
const strong = () => randomBytes(24).toString('hex');

interface Service {
  name: string;
  entry: string;
  secrets: SecretName[];
  env: Record<string, string>;
}

const SERVICES: Service[] = [
  { name: 'gateway', entry: 'gateway/src/index.ts', secrets: ['JWT_SECRET', 'SUBGRAPH_SIGNING_SECRET'], env: { PORT: '0' } },
  { name: 'stack (npm start)', entry: 'stack/src/index.ts', secrets: ['JWT_SECRET', 'SUBGRAPH_SIGNING_SECRET', 'PII_KEY'], env: { DATABASE_URL: NO_DATABASE, GATEWAY_PORT: '0', SUBGRAPH_BASE_PORT: '0' } },
  { name: 'ledger subgraph', entry: 'subgraphs/ledger/src/index.ts', secrets: ['SUBGRAPH_SIGNING_SECRET'], env: { DATABASE_URL: NO_DATABASE, PORT: '0' } },
  { name: 'users subgraph', entry: 'subgraphs/users/src/index.ts', secrets: ['SUBGRAPH_SIGNING_SECRET', 'PII_KEY'], env: { DATABASE_URL: NO_DATABASE, PORT: '0' } },
];

/** Every secret the service needs, each a strong random value, except the ones overridden. */
function productionEnv(service: Service, secrets: Partial<Record<SecretName, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = { ...service.env, NODE_ENV: 'production', LOG_LEVEL: 'info' };
  for (const name of service.secrets) {
    const value = name in secrets ? secrets[name] : strong();
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Exit 2, exactly one line on stderr naming `name` (and no other secret), and no stack trace anywhere. */
function expectOneLineRefusal(run: Exited, name: SecretName, service: Service) {
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(name);
  for (const other of service.secrets.filter((s) => s !== name)) expect(lines[0]).not.toContain(other);
  expect(run.stderr + run.stdout).not.toContain('    at ');
}

const missingCases = SERVICES.flatMap((service) => service.secrets.map((secret) => ({ service, secret, label: `${service.name} without ${secret}` })));
/** One check for each secret (the rule is shared; the gateway, users and ledger each apply it at their own start). */
const defaultCases = (
  [
    ['gateway', 'JWT_SECRET'],
    ['ledger subgraph', 'SUBGRAPH_SIGNING_SECRET'],
    ['users subgraph', 'PII_KEY'],
  ] as const
).map(([name, secret]) => {
  const service = SERVICES.find((s) => s.name === name)!;
  return { service, secret, label: `${service.name} with ${secret} at its public default` };
});
/** pino's JSON lines, as the services print them. */
const logLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string; url?: string });

describe.concurrent('production mode (NODE_ENV=production)', () => {
  it.each(missingCases)('refuses to start: $label', async ({ service, secret }) => {
    const run = await runToExit(service.entry, productionEnv(service, { [secret]: undefined }));
    expectOneLineRefusal(run, secret, service);
    expect(run.stderr).toContain('NODE_ENV=production');
  });

  it.each(defaultCases)('refuses to start: $label', async ({ service, secret }) => {
    const run = await runToExit(service.entry, productionEnv(service, { [secret]: SECRET_DEFAULTS[secret] }));
    expectOneLineRefusal(run, secret, service);
  });

  it('starts the gateway with every secret set (a JWKS URL standing in for JWT_SECRET), announcing no default', async () => {
    const env = { ...productionEnv(SERVICES[0]!, { JWT_SECRET: undefined }), JWT_JWKS_URL: 'https://id.example/.well-known/jwks.json' };
    const run = await runUntil('gateway/src/index.ts', env, (out) => out.includes('gateway ready'));
    expect(run.ready).toBe(true);
    expect(run.stdout).not.toContain('public development default');
  });
});

describe.concurrent('development mode', () => {
  it('announces each default secret the gateway uses with a warning, and listens on loopback only', async () => {
    const run = await runUntil('gateway/src/index.ts', { PORT: '0', LOG_LEVEL: 'info' }, (out) => out.includes('gateway ready'));
    expect(run.ready).toBe(true);
    const lines = logLines(run.stdout);
    const warnings = lines.filter((l) => l.level === 40).map((l) => l.msg);
    for (const name of ['JWT_SECRET', 'SUBGRAPH_SIGNING_SECRET']) expect(warnings.filter((w) => w.includes(name))).toHaveLength(1);
    expect(new URL(lines.find((l) => l.msg === 'gateway ready')?.url ?? '').hostname).toBe('127.0.0.1');
  });

  it('stops the gateway on SIGTERM: it closes and exits 0 rather than hanging until SIGKILL', async () => {
    const run = await runUntil('gateway/src/index.ts', { PORT: '0', LOG_LEVEL: 'info' }, (out) => out.includes('gateway ready'), undefined, 'SIGTERM');
    expect(run.ready).toBe(true);
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
  });

  it("announces the users subgraph's default signing secret and PII key", async () => {
    const env = { DATABASE_URL: NO_DATABASE, PORT: '0', LOG_LEVEL: 'warn' };
    const run = await runUntil('subgraphs/users/src/index.ts', env, (out) => out.includes('SUBGRAPH_SIGNING_SECRET') && out.includes('PII_KEY'));
    expect(run.ready).toBe(true);
    const warnings = logLines(run.stdout).filter((l) => l.level === 40);
    expect(warnings.map((w) => w.msg.split(' ')[0]).sort()).toEqual(['PII_KEY', 'SUBGRAPH_SIGNING_SECRET']);
  });
});
