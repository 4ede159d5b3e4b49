// Proves `npm run token` refuses incomplete or unknown arguments with usage (never a stack trace) and signs tokens that expire.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../gateway/src/token.ts', import.meta.url));
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, JWT_SECRET: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('npm run token', () => {
  it.each([
    [['--role', 'merchant'], '--merchant-id'],
    [['--role', 'partner'], '--partner-id'],
    [['--role', 'superuser'], '--role must be one of'],
    [['--bogus'], 'Unknown option'],
    [['--expires', 'forever'], '--expires'],
  ])('refuses %j with exit code 2 and usage', (args, reason) => {
    const r = run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(reason);
    expect(r.stderr).toContain('usage: npm run token');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('signs a merchant token with merchant_id and an expiry', () => {
    const r = run('--role', 'merchant', '--merchant-id', 'm-1', '--expires', '30m');
    expect(r.code).toBe(0);
    const claims = decodeJwt(r.stdout.trim().split('\n').at(-1)!);
    expect(claims).toMatchObject({ role: 'merchant', merchant_id: 'm-1' });
    expect(claims.exp! - claims.iat!).toBe(1800);
  });
});
