// `npm run db:seed`: seeds the database (DATABASE_URL, or the embedded one) unless it already has data.
import { connect } from '@greenpoints/db';
import { loadConfig } from '../config.ts';
import { isEmpty, seed } from '../seed/index.ts';

const config = loadConfig();
const handle = await connect(config.db);
try {
  if (!(await isEmpty(handle.db))) {
    console.error('The database already has data; seeding refused (it would duplicate the alliance).');
    process.exitCode = 1;
  } else {
    const result = await seed(handle.db, { piiKey: config.piiKey, users: config.SEED_USERS, delivery: config.delivery });
    console.log(`seeded ${result.users} users and ${result.purchases} purchases (${handle.driver})`);
  }
} finally {
  await handle.close();
}
