// What subgraphs use: contracts, publishing, and running their own consumer. The relay and the
// operations commands (which know every subgraph's tables) live in ./relay and ./ops.
export * from './contracts/index.ts';
export { outboxRow, publish, type OutboxTable } from './publish.ts';
export { erasePersonalFields, PERSONAL_FIELDS } from './erasure.ts';
export { SUBSCRIPTIONS, type ConsumerName } from './subscriptions.ts';
export { defineConsumer, type ConsumerDefinition, type DeliveredEvent, type Handler, type Handlers } from './consumer/types.ts';
export { openConsumer, startConsumer } from './consumer/startConsumer.ts';
export { drain, runWorker, type RunningWorker, type Worker } from './worker.ts';
export { applyBatch } from './consumer/applyBatch.ts';
export { eventsConfigShape, deliveryOptions, DEFAULT_DELIVERY, type DeliveryOptions, type EventsEnv } from './config.ts';
export { eventsStatusRoute } from './statusRoute.ts';
