import { configOrExit, piiKeyId } from '@greenpoints/common';
import { connect, loadDbConfig, subgraphConnectOptions } from '@greenpoints/db';
import { loadConfig } from '../config.ts';
import { rotatePiiKey } from '../operations/rotatePiiKey.ts';

// `npm run rotate-pii-key -w subgraphs/users`, with PII_KEY set to the new key and
// PII_PREVIOUS_KEYS to the old ones (comma-separated), after the services run with both.
const config = configOrExit('users', () => loadConfig());
// As the users role on PostgreSQL (it touches only users.users), or the embedded database.
const handle = await connect(subgraphConnectOptions(loadDbConfig(), 'users'));
try {
  const result = await rotatePiiKey(handle.db, { current: config.secrets.PII_KEY, previous: config.settings.PII_PREVIOUS_KEYS });
  console.log(`re-sealed ${result.resealed} phone number(s) under key ${piiKeyId(config.secrets.PII_KEY)}`);
} finally {
  await handle.close();
}
