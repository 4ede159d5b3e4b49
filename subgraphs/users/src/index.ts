import { configOrExit } from '@greenpoints/common';
import { runStandaloneSubgraph } from '@greenpoints/db';
import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/users`.
const config = configOrExit('users', () => loadConfig());
await runStandaloneSubgraph({
  name: 'users',
  schema: 'users',
  config,
  createServer: (deps) =>
    createServer({
      ...deps,
      piiKey: config.secrets.PII_KEY,
      piiPreviousKeys: config.settings.PII_PREVIOUS_KEYS,
      householdMaxMembers: config.settings.HOUSEHOLD_MAX_MEMBERS,
      noticeVersion: config.settings.CONSENT_NOTICE_VERSION,
      noticesCovered: config.settings.CONSENT_NOTICES_COVERED,
    }),
});
