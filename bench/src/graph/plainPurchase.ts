/**
 * The physical baseline for recordPurchase: the same rows written as plain SQL in one transaction
 * (log entry, transaction, lot, purchase, postings, balances) with no GraphQL, HTTP, checks or
 * rules. It writes real-shaped rows into the bench's database, as the API's purchases do.
 */
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';

export async function plainPurchase(sql: postgres.Sql, userId: string, merchantId: string): Promise<void> {
  const points = 10;
  await sql.begin(async (tx) => {
    const [op] = await tx`INSERT INTO ledger.operations (scope, key, request_hash, actor) VALUES (${'plain:' + merchantId}, ${randomUUID()}, 'h', 'bench') RETURNING id`;
    const txId = randomUUID();
    await tx`INSERT INTO ledger.transactions (id, type, idempotency_key, user_id, merchant_id, description, operation_id) VALUES (${txId}, 'PURCHASE_EARN', ${'tx:' + txId}, ${userId}, ${merchantId}, 'Purchase', ${op!['id']})`;
    const [acct] = await tx`SELECT id FROM ledger.accounts WHERE kind = 'USER' AND owner_id = ${userId} AND asset = 'POINTS' FOR UPDATE`;
    await tx`INSERT INTO ledger.lots (id, account_id, transaction_id, asset, amount, remaining, available_at, expires_at) VALUES (${randomUUID()}, ${acct!['id']}, ${txId}, 'POINTS', ${points}, ${points}, now(), now() + interval '365 days')`;
    await tx`INSERT INTO ledger.purchases (id, transaction_id, user_id, merchant_id, amount_minor, earn_rule_version, tier, points, green_points, request_hash, occurred_at) VALUES (${randomUUID()}, ${txId}, ${userId}, ${merchantId}, 1000, 1, 'SEED', ${points}, 0, 'h', now())`;
    const [budget] = await tx`SELECT id FROM ledger.accounts WHERE kind = 'MERCHANT_ISSUANCE' AND owner_id = ${merchantId} AND asset = 'POINTS'`;
    await tx`INSERT INTO ledger.postings (transaction_id, account_id, asset, amount) VALUES (${txId}, ${acct!['id']}, 'POINTS', ${points}), (${txId}, ${budget!['id']}, 'POINTS', ${-points})`;
    await tx`UPDATE ledger.accounts SET balance = balance + ${points} WHERE id = ${acct!['id']}`;
    const moved = await tx`UPDATE ledger.accounts SET balance = balance - ${points} WHERE id = ${budget!['id']} AND balance >= ${points}`;
    // Rolled back, as the API would refuse it: the books never go out of balance.
    if (moved.count !== 1) throw Object.assign(new Error('budget exhausted'), { code: 'BUDGET_EXHAUSTED' });
    await tx`UPDATE ledger.operations SET result = ${sql.json({ plain: true })} WHERE id = ${op!['id']}`;
  });
}
