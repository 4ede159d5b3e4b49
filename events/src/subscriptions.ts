import { CONTRACTS, type EventType, type StreamName } from './contracts/index.ts';

/**
 * Who consumes what. A consumer is a subgraph (one durable consumer per consuming subgraph); it
 * receives only the types listed here, from whichever streams publish them.
 */
export const SUBSCRIPTIONS = {
  ledger: [
    'UserRegistered',
    'UserAgeBandChanged',
    'UserStatusChanged',
    'UserDeleted',
    'HouseholdMemberJoined',
    'HouseholdMemberLeft',
    'HouseholdDissolved',
    'MerchantRegistered',
    'MerchantStatusChanged',
    'MerchantProfileUpdated',
    'EarnRulePublished',
    'PromotionPublished',
    'ProductListed',
    'GreenProfilePublished',
    'GreenActivityRecorded',
  ],
  'green-impact': ['PurchaseRecorded', 'PurchaseRefunded', 'GreenActivityCredited'],
} as const satisfies Record<string, readonly EventType[]>;

export type ConsumerName = keyof typeof SUBSCRIPTIONS;
export const CONSUMER_NAMES = Object.keys(SUBSCRIPTIONS) as ConsumerName[];

export function isConsumerName(name: string): name is ConsumerName {
  return Object.hasOwn(SUBSCRIPTIONS, name);
}

/** The types a consumer takes from one stream. */
export function subscribedTypes(consumer: ConsumerName, stream: StreamName): EventType[] {
  return (SUBSCRIPTIONS[consumer] as readonly EventType[]).filter((t) => CONTRACTS[t].stream === stream);
}

export function streamsOf(consumer: ConsumerName): StreamName[] {
  return [...new Set((SUBSCRIPTIONS[consumer] as readonly EventType[]).map((t) => CONTRACTS[t].stream))];
}

export function consumersOf(stream: StreamName): ConsumerName[] {
  return CONSUMER_NAMES.filter((c) => subscribedTypes(c, stream).length > 0);
}
