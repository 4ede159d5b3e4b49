import { greenEvents } from '@greenpoints/db/schema/green';
import { ledgerEvents } from '@greenpoints/db/schema/ledger';
import { merchantsEvents } from '@greenpoints/db/schema/merchants';
import type { EventTables } from '@greenpoints/db/schema/outbox';
import { usersEvents } from '@greenpoints/db/schema/users';
import { STREAMS, type StreamName } from '../contracts/index.ts';
import type { ConsumerName } from '../subscriptions.ts';

/**
 * The relay and the operations commands sit between the subgraphs, like the log they stand in
 * for, so they alone know every subgraph's event tables. Subgraphs never import this module.
 */
export const TABLES_OF_STREAM: Record<StreamName, EventTables> = {
  users: usersEvents,
  merchants: merchantsEvents,
  ledger: ledgerEvents,
  'green-impact': greenEvents,
};

export const TABLES_OF_CONSUMER: Record<ConsumerName, EventTables> = {
  ledger: ledgerEvents,
  'green-impact': greenEvents,
};

/** Advisory-lock keys: (namespace, index). One relay per stream at a time keeps publication in order. */
export const RELAY_LOCK_NAMESPACE = 0x6770_0001;
export const streamIndex = (stream: StreamName) => STREAMS.indexOf(stream);
