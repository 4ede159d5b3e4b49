// `npm run db:backfill-events`: for a database created before events existed, publishes once what
// each subgraph holds so the ledger's read models fill. `npm start` does this by itself.
import { connect } from '@greenpoints/db';
import { loadConfig } from '../config.ts';
import { backfillEvents, needsBackfill } from '../seed/backfill.ts';

const config = loadConfig();
const handle = await connect(config.db);
try {
  if (!(await needsBackfill(handle.db))) {
    console.log('nothing to backfill: the users stream already has registrations (or there are no users)');
  } else {
    console.log(`published and delivered ${await backfillEvents(handle.db, config.delivery)} events (${handle.driver})`);
  }
} finally {
  await handle.close();
}
