/**
 * Development defaults for the shared secrets. They make `npm start` work with no setup and are
 * announced at start-up; production sets JWT_SECRET, SUBGRAPH_SIGNING_SECRET and PII_KEY.
 */
export const DEV_JWT_SECRET = 'greenpoints-dev-jwt-secret-change-me';
export const DEV_SIGNING_SECRET = 'greenpoints-dev-subgraph-signing-secret';
export const DEV_PII_KEY = 'greenpoints-dev-pii-key';
