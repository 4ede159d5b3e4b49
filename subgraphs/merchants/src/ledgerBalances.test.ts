// Proves the ledger client fails closed with LEDGER_UNAVAILABLE (never a guess at a balance) when the ledger is unknown or unreachable.
import { describe, expect, it } from 'vitest';
import { createLedgerBalances } from './ledgerBalances.ts';

describe('createLedgerBalances', () => {
  const userId = '8f0c2a5e-1d3b-4c7a-9e21-00000000d3e0';
  it('refuses with LEDGER_UNAVAILABLE when no ledger URL is configured', async () => {
    const balances = createLedgerBalances({ url: () => undefined, signingSecret: 'x'.repeat(32) });
    await expect(balances.spendableBalance(userId)).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
  });
  it('refuses with LEDGER_UNAVAILABLE when nothing answers', async () => {
    const balances = createLedgerBalances({ url: () => 'http://127.0.0.1:9/graphql', signingSecret: 'x'.repeat(32), timeoutMs: 1_000 });
    await expect(balances.spendableBalance(userId)).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
  });
});
