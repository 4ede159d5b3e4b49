/**
 * Well-known ids in the seed data, so the README's examples and `npm run token` work as written.
 * The seed creates exactly these rows; nothing else depends on them.
 */
export const DEMO_CONSUMER_ID = '8f0c2a5e-1d3b-4c7a-9e21-00000000d3e0';
/** The fruit-shop chain; a merchant token for it can record purchases. */
export const DEMO_MERCHANT_ID = '5b7e9d10-2c4f-4e8a-8b13-00000000f001';
