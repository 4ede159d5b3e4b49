import { greenEvents } from '@greenpoints/db/schema/green';
import { defineConsumer } from '@greenpoints/events';
import { onGreenActivityCredited } from './onGreenActivityCredited.ts';
import { onPurchaseRecorded } from './onPurchaseRecorded.ts';
import { onPurchaseRefunded } from './onPurchaseRefunded.ts';

/** Green-impact's consumer: runs in its own process and writes only the green schema. */
export const greenImpactConsumer = defineConsumer({
  name: 'green-impact',
  tables: greenEvents,
  handlers: { PurchaseRecorded: onPurchaseRecorded, PurchaseRefunded: onPurchaseRefunded, GreenActivityCredited: onGreenActivityCredited },
});
