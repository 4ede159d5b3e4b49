import { ledgerEvents } from '@greenpoints/db/schema/ledger';
import { defineConsumer } from '@greenpoints/events';
import { onGreenActivityRecorded } from './greenActivities.ts';
import { onHouseholdDissolved } from './households.ts';
import { onPromotionPublished } from './promotions.ts';
import * as h from './readModels.ts';

/**
 * The ledger's consumer keeps its read models of users, merchants, promotions and green SKUs, only
 * from events, and issues the points of verified green activities; it runs in the ledger's process
 * and writes only the ledger schema.
 */
export const ledgerConsumer = defineConsumer({
  name: 'ledger',
  tables: ledgerEvents,
  handlers: {
    UserRegistered: h.onUserRegistered,
    UserAgeBandChanged: h.onUserAgeBandChanged,
    UserStatusChanged: h.onUserStatusChanged,
    UserDeleted: h.onUserDeleted,
    HouseholdMemberJoined: h.onHouseholdMemberJoined,
    HouseholdMemberLeft: h.onHouseholdMemberLeft,
    HouseholdDissolved: onHouseholdDissolved,
    MerchantRegistered: h.onMerchantRegistered,
    MerchantStatusChanged: h.onMerchantStatusChanged,
    MerchantProfileUpdated: h.onMerchantProfileUpdated,
    EarnRulePublished: h.onEarnRulePublished,
    PromotionPublished: onPromotionPublished,
    ProductListed: h.onProductListed,
    GreenProfilePublished: h.onGreenProfilePublished,
    GreenActivityRecorded: onGreenActivityRecorded,
  },
});
