// The relay and what only it may know: every subgraph's event tables. Not for subgraphs.
export { openRelay, startRelay } from './startRelay.ts';
export { relayStreamOnce, postgresSink, type Sink } from './pgRelay.ts';
export { TABLES_OF_CONSUMER, TABLES_OF_STREAM } from './topology.ts';
export { drain, runWorker, type RunningWorker, type Worker } from '../worker.ts';
