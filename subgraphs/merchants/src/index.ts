import { configOrExit } from '@greenpoints/common';
import { runStandaloneSubgraph } from '@greenpoints/db';
import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/merchants`.
const config = configOrExit('merchants', () => loadConfig());
await runStandaloneSubgraph({
  name: 'merchants',
  schema: 'merchants',
  config,
  createServer: (deps) => createServer({ ...deps, ledgerUrl: () => config.settings.LEDGER_URL }),
});
