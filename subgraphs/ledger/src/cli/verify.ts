import { connect, loadDbConfig, subgraphConnectOptions } from '@greenpoints/db';
import { sealOperations } from '../operations/operationLog.ts';
import { verifyLedger } from '../operations/verify.ts';

// `npm run ledger:verify` (DATABASE_URL for PostgreSQL, else the embedded database in .data/):
// seals what the ledger has not sealed yet, then checks every invariant. Exit code 1 on any violation.
const handle = await connect(subgraphConnectOptions(loadDbConfig(), 'ledger'));
try {
  let sealed = 0;
  for (let n = await sealOperations(handle.db); n > 0; n = await sealOperations(handle.db)) sealed += n;
  const report = await verifyLedger(handle.db);
  for (const check of report.checks) {
    console.log(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}`);
    for (const v of check.violations) console.log(`       ${JSON.stringify(v)}`);
  }
  console.log(`operation log: ${report.chain.sealed} entries chained (${sealed} sealed now), ${report.chain.unsealed} not yet sealed`);
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await handle.close();
}
