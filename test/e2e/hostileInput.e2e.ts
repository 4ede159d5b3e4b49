// Proves every text input of the API, sent NUL bytes, lone surrogates, forged cursors, SQL-looking and unicode strings, answers with a code (never an internal error) and writes nothing it should not.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { DEMO_CONSUMER_ID, DEMO_MERCHANT_ID, encodeCursor, servicePrincipal, signRequest } from '@greenpoints/common';
import { buildSchema, getNamedType, isInputObjectType, isObjectType, isScalarType, type GraphQLInputType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secrets, startTestStack, type TestStack } from '../helpers/stack.ts';

/** One operation per text input; `$s` is where the hostile string goes. */
const PERIOD = (field: 'from' | 'to') =>
  field === 'from' ? '{ from: $s, to: "2026-01-01T00:00:00Z" }' : '{ from: "2025-01-01T00:00:00Z", to: $s }';
const RECORD = (input: string, key = '$k') =>
  `mutation ($s: String!, $k: ID!) { recordPurchase(input: ${input}, idempotencyKey: ${key}) { id user { id } } }`;
const BUYER = `userId: "${DEMO_CONSUMER_ID}", merchantId: "${DEMO_MERCHANT_ID}", amountMinor: 1000`;
const M = `"${DEMO_MERCHANT_ID}"`;
const PRODUCT = (fields: Partial<Record<'sku' | 'name' | 'category', string>>) =>
  `mutation ($s: ${'sku' in fields ? 'ID!' : 'String!'}) { listProduct(merchantId: ${M}, input: { sku: ${fields.sku ?? '$k'}, name: ${fields.name ?? '"Product"'}, priceMinor: 100, category: ${fields.category ?? '"OTHER"'} }) { sku } }`;
const REWARD = (fields: Partial<Record<'id' | 'title' | 'validFrom' | 'validUntil' | 'terms' | 'startsAt' | 'endsAt', string>>, type = 'String!') =>
  `mutation ($s: ${type}) { upsertReward(merchantId: ${M}, input: { ${fields.id ? `id: ${fields.id}, ` : ''}title: ${fields.title ?? '"Reward"'}, kind: GOODS, pointsCost: 500, stock: 1,
    validFrom: ${fields.validFrom ?? '"2026-01-01"'}, validUntil: ${fields.validUntil ?? '"2099-01-01"'}, terms: ${fields.terms ?? '"Terms."'},
    sale: { pointsCost: 400, startsAt: ${fields.startsAt ?? '"2026-01-01"'}, endsAt: ${fields.endsAt ?? '"2099-01-01"'} } }) { id } }`;
const PROMOTION = (fields: Partial<Record<'title' | 'startsAt' | 'endsAt' | 'productCategories', string>>) =>
  `{ title: ${fields.title ?? '"Promotion"'}, multiplierPercent: 200, startsAt: ${fields.startsAt ?? '"2099-01-01"'}, endsAt: ${fields.endsAt ?? '"2099-06-01"'},
    productCategories: ${fields.productCategories ?? '["FRESH_FRUIT"]'}, budgetPoints: 1000 }`;

const CASES: Record<string, string> = {
  'Query.greenZone(after)': 'query ($s: String) { greenZone(after: $s) { edges { cursor } } }',
  'Query.platformGreenReport(period).from': `query ($s: DateTime!) { platformGreenReport(period: ${PERIOD('from')}) { totals { records } } }`,
  'Query.platformGreenReport(period).to': `query ($s: DateTime!) { platformGreenReport(period: ${PERIOD('to')}) { totals { records } } }`,
  'Query.platformGreenReport(period).month': 'query ($s: String) { platformGreenReport(period: { month: $s }) { totals { records } } }',
  'Query.platformGreenReport(period).quarter': 'query ($s: String) { platformGreenReport(period: { quarter: $s }) { totals { records } } }',
  'User.greenImpact(period).month': `query ($s: String) { user(id: "${DEMO_CONSUMER_ID}") { greenImpact(period: { month: $s }) { totals { records } } } }`,
  'User.greenImpact(period).quarter': `query ($s: String) { user(id: "${DEMO_CONSUMER_ID}") { greenImpact(period: { quarter: $s }) { totals { records } } } }`,
  'Merchant.greenImpact(period).month': `query ($s: String) { merchant(id: "${DEMO_MERCHANT_ID}") { greenImpact(period: { month: $s }) { totals { records } } } }`,
  'Merchant.greenImpact(period).quarter': `query ($s: String) { merchant(id: "${DEMO_MERCHANT_ID}") { greenImpact(period: { quarter: $s }) { totals { records } } } }`,
  'GreenReport.records(after)': `query ($s: String) { user(id: "${DEMO_CONSUMER_ID}") { greenImpact { records(after: $s) { edges { cursor } } } } }`,
  'Query.merchants(after)': 'query ($s: String) { merchants(after: $s) { edges { cursor } } }',
  'Query.merchant(id)': 'query ($s: ID!) { merchant(id: $s) { id } }',
  'Query.catalog(filter).merchantId': 'query ($s: ID) { catalog(filter: { merchantId: $s }) { edges { cursor } } }',
  'Query.catalog(filter).search': 'query ($s: String) { catalog(filter: { search: $s }) { edges { cursor } } }',
  'Query.catalog(after)': 'query ($s: String) { catalog(after: $s) { edges { cursor } } }',
  'Query.reward(id)': 'query ($s: ID!) { reward(id: $s) { id } }',
  'Query.product(sku)': 'query ($s: ID!) { product(sku: $s) { sku } }',
  'Query.user(id)': 'query ($s: ID!) { user(id: $s) { id } }',
  'Query.household(id)': 'query ($s: ID!) { household(id: $s) { id } }',
  'User.greenImpact(period).from': `query ($s: DateTime!) { user(id: "${DEMO_CONSUMER_ID}") { greenImpact(period: ${PERIOD('from')}) { totals { records } } } }`,
  'User.greenImpact(period).to': `query ($s: DateTime!) { user(id: "${DEMO_CONSUMER_ID}") { greenImpact(period: ${PERIOD('to')}) { totals { records } } } }`,
  'Merchant.greenImpact(period).from': `query ($s: DateTime!) { merchant(id: "${DEMO_MERCHANT_ID}") { greenImpact(period: ${PERIOD('from')}) { totals { records } } } }`,
  'Merchant.greenImpact(period).to': `query ($s: DateTime!) { merchant(id: "${DEMO_MERCHANT_ID}") { greenImpact(period: ${PERIOD('to')}) { totals { records } } } }`,
  'Merchant.products(after)': `query ($s: String) { merchant(id: "${DEMO_MERCHANT_ID}") { products(after: $s) { edges { cursor } } } }`,
  'PointsAccount.transactions(after)': `query ($s: String) { user(id: "${DEMO_CONSUMER_ID}") { points { transactions(after: $s) { edges { cursor } } } } }`,
  'Mutation.recordPurchase(input).userId': RECORD(`{ userId: $s, merchantId: "${DEMO_MERCHANT_ID}", amountMinor: 1000 }`).replace('$s: String!', '$s: ID!'),
  'Mutation.recordPurchase(input).merchantId': RECORD(`{ userId: "${DEMO_CONSUMER_ID}", merchantId: $s, amountMinor: 1000 }`).replace('$s: String!', '$s: ID!'),
  'Mutation.recordPurchase(input).lines.sku': RECORD(`{ ${BUYER}, lines: [{ sku: $s, quantity: 1, unitPriceMinor: 1000 }] }`).replace('$s: String!', '$s: ID!'),
  'Mutation.recordPurchase(input).occurredAt': RECORD(`{ ${BUYER}, occurredAt: $s }`).replace('$s: String!', '$s: DateTime'),
  'Mutation.recordPurchase(idempotencyKey)': RECORD(`{ ${BUYER} }`, '$s').replace('$s: String!, $k: ID!', '$s: ID!'),
  'Mutation.registerUser(input).displayName': 'mutation ($s: String!, $p: String!) { registerUser(input: { displayName: $s, phone: $p, ageBand: AGE_18_59 }) { id } }',
  'Mutation.registerUser(input).phone': 'mutation ($s: String!) { registerUser(input: { displayName: "Hostile", phone: $s, ageBand: AGE_18_59 }) { id } }',
  'Mutation.updateProfile(input).displayName': 'mutation ($s: String) { updateProfile(input: { displayName: $s }) { id } }',
  'Mutation.updateProfile(input).phone': 'mutation ($s: String) { updateProfile(input: { phone: $s }) { id } }',
  'Mutation.createHousehold(name)': 'mutation ($s: String!) { createHousehold(name: $s) { id } }',
  'Mutation.inviteToHousehold(householdId)': `mutation ($s: ID!) { inviteToHousehold(householdId: $s, userId: "${DEMO_CONSUMER_ID}") { id } }`,
  'Mutation.inviteToHousehold(userId)': `mutation ($s: ID!) { inviteToHousehold(householdId: "${DEMO_CONSUMER_ID}", userId: $s) { id } }`,
  'Mutation.acceptHouseholdInvite(householdId)': 'mutation ($s: ID!) { acceptHouseholdInvite(householdId: $s) { id } }',
  'Mutation.declineHouseholdInvite(householdId)': 'mutation ($s: ID!) { declineHouseholdInvite(householdId: $s) { id } }',
  'Mutation.removeHouseholdMember(householdId)': `mutation ($s: ID!) { removeHouseholdMember(householdId: $s, userId: "${DEMO_CONSUMER_ID}") { id } }`,
  'Mutation.removeHouseholdMember(userId)': `mutation ($s: ID!) { removeHouseholdMember(householdId: "${DEMO_CONSUMER_ID}", userId: $s) { id } }`,
  'Mutation.transferHouseholdOwnership(householdId)': `mutation ($s: ID!) { transferHouseholdOwnership(householdId: $s, userId: "${DEMO_CONSUMER_ID}") { id } }`,
  'Mutation.transferHouseholdOwnership(userId)': `mutation ($s: ID!) { transferHouseholdOwnership(householdId: "${DEMO_CONSUMER_ID}", userId: $s) { id } }`,
  'Mutation.grantConsent(noticeVersion)': 'mutation ($s: String) { grantConsent(kind: MARKETING, noticeVersion: $s) { id } }',
  'Mutation.registerMerchant(input).name': 'mutation ($s: String!) { registerMerchant(input: { name: $s, category: FRUIT, settlementMinorPer100Points: 50 }) { id } }',
  'Mutation.setMerchantStatus(merchantId)': 'mutation ($s: ID!) { setMerchantStatus(merchantId: $s, status: ACTIVE) { id } }',
  'Mutation.updateMerchantProfile(merchantId)': 'mutation ($s: ID!) { updateMerchantProfile(merchantId: $s, input: {}) { id } }',
  'Mutation.updateMerchantProfile(input).name': `mutation ($s: String) { updateMerchantProfile(merchantId: ${M}, input: { name: $s }) { id } }`,
  'Mutation.listProduct(merchantId)': 'mutation ($s: ID!, $k: ID!) { listProduct(merchantId: $s, input: { sku: $k, name: "P", priceMinor: 1, category: "OTHER" }) { sku } }',
  'Mutation.listProduct(input).sku': PRODUCT({ sku: '$s' }).replace('($s: ID!)', '($s: ID!)'),
  'Mutation.listProduct(input).name': PRODUCT({ name: '$s' }).replace('($s: String!)', '($s: String!, $k: ID!)'),
  'Mutation.listProduct(input).category': PRODUCT({ category: '$s' }).replace('($s: String!)', '($s: String!, $k: ID!)'),
  'Mutation.upsertReward(merchantId)': REWARD({}).replace(`merchantId: ${M}`, 'merchantId: $s').replace('($s: String!)', '($s: ID!)'),
  'Mutation.upsertReward(input).id': REWARD({ id: '$s' }, 'ID'),
  'Mutation.upsertReward(input).title': REWARD({ title: '$s' }),
  'Mutation.upsertReward(input).terms': REWARD({ terms: '$s' }),
  'Mutation.upsertReward(input).validFrom': REWARD({ validFrom: '$s' }, 'DateTime!'),
  'Mutation.upsertReward(input).validUntil': REWARD({ validUntil: '$s' }, 'DateTime'),
  'Mutation.upsertReward(input).sale.startsAt': REWARD({ startsAt: '$s' }, 'DateTime!'),
  'Mutation.upsertReward(input).sale.endsAt': REWARD({ endsAt: '$s' }, 'DateTime!'),
  'Mutation.publishEarnRule(merchantId)': 'mutation ($s: ID!) { publishEarnRule(merchantId: $s, input: { pointsPerYuan: 1, pendingDays: 1, effectiveFrom: "2099-01-01" }) { version } }',
  'Mutation.publishEarnRule(input).categoryOverrides.category': `mutation ($s: String!) { publishEarnRule(merchantId: ${M}, input: { pointsPerYuan: 1, pendingDays: 1, effectiveFrom: "2099-01-01", categoryOverrides: [{ category: $s, pointsPerYuan: 2 }] }) { version } }`,
  'Mutation.publishEarnRule(input).effectiveFrom': `mutation ($s: DateTime!) { publishEarnRule(merchantId: ${M}, input: { pointsPerYuan: 1, pendingDays: 1, effectiveFrom: $s }) { version } }`,
  'Mutation.refundPurchase(purchaseId)': 'mutation ($s: ID!, $k: ID!) { refundPurchase(purchaseId: $s, idempotencyKey: $k) { id } }',
  'Mutation.refundPurchase(lines).sku': 'mutation ($s: ID!, $k: ID!) { refundPurchase(purchaseId: $k, lines: [{ sku: $s, quantity: 1 }], idempotencyKey: $k) { id } }',
  'Mutation.refundPurchase(idempotencyKey)': 'mutation ($s: ID!, $k: ID!) { refundPurchase(purchaseId: $k, idempotencyKey: $s) { id } }',
  'Mutation.redeemReward(rewardId)': 'mutation ($s: ID!, $k: ID!) { redeemReward(rewardId: $s, idempotencyKey: $k) { id } }',
  'Mutation.redeemReward(idempotencyKey)': 'mutation ($s: ID!, $k: ID!) { redeemReward(rewardId: $k, idempotencyKey: $s) { id } }',
  'Mutation.cancelRedemption(redemptionId)': 'mutation ($s: ID!) { cancelRedemption(redemptionId: $s, reason: "Flight cancelled") { id } }',
  'Mutation.cancelRedemption(reason)': 'mutation ($s: String!, $k: ID!) { cancelRedemption(redemptionId: $k, reason: $s) { id } }',
  'Mutation.transferPoints(toUserId)': 'mutation ($s: ID!, $k: ID!) { transferPoints(toUserId: $s, amount: 1, idempotencyKey: $k) { id } }',
  'Mutation.transferPoints(idempotencyKey)': 'mutation ($s: ID!, $k: ID!) { transferPoints(toUserId: $k, amount: 1, idempotencyKey: $s) { id } }',
  'Mutation.contributeToHousehold(idempotencyKey)': 'mutation ($s: ID!) { contributeToHousehold(amount: 1, idempotencyKey: $s) { id } }',
  'Mutation.expirePoints(asOf)': 'mutation ($s: DateTime!, $k: ID!) { expirePoints(asOf: $s, idempotencyKey: $k) { points } }',
  'Mutation.expirePoints(idempotencyKey)': 'mutation ($s: ID!) { expirePoints(asOf: "2020-01-01T00:00:00Z", idempotencyKey: $s) { points } }',
  'Mutation.fundIssuanceBudget(merchantId)': 'mutation ($s: ID, $k: ID!) { fundIssuanceBudget(merchantId: $s, points: 1, idempotencyKey: $k) { id } }',
  'Mutation.fundIssuanceBudget(idempotencyKey)': `mutation ($s: ID!) { fundIssuanceBudget(merchantId: ${M}, points: 1, idempotencyKey: $s) { id } }`,
  'Mutation.openFraudCase(userId)': 'mutation ($s: ID!, $k: ID!) { openFraudCase(userId: $s, evidence: "Receipts", reason: "Test", idempotencyKey: $k) { id } }',
  'Mutation.openFraudCase(evidence)': `mutation ($s: String!, $k: ID!) { openFraudCase(userId: "${DEMO_CONSUMER_ID}", evidence: $s, reason: "Test", idempotencyKey: $k) { id } }`,
  'Mutation.openFraudCase(reason)': `mutation ($s: String!, $k: ID!) { openFraudCase(userId: "${DEMO_CONSUMER_ID}", evidence: "Receipts", reason: $s, idempotencyKey: $k) { id } }`,
  'Mutation.openFraudCase(idempotencyKey)': `mutation ($s: ID!) { openFraudCase(userId: "${DEMO_CONSUMER_ID}", evidence: "Receipts", reason: "Test", idempotencyKey: $s) { id } }`,
  'Mutation.freezeAccount(caseId)': 'mutation ($s: ID!, $k: ID!) { freezeAccount(caseId: $s, reason: "Test", idempotencyKey: $k) { id } }',
  'Mutation.freezeAccount(reason)': 'mutation ($s: String!, $k: ID!) { freezeAccount(caseId: $k, reason: $s, idempotencyKey: $k) { id } }',
  'Mutation.freezeAccount(idempotencyKey)': 'mutation ($s: ID!, $k: ID!) { freezeAccount(caseId: $k, reason: "Test", idempotencyKey: $s) { id } }',
  'Mutation.resolveFraudCase(caseId)': 'mutation ($s: ID!, $k: ID!) { resolveFraudCase(caseId: $s, status: DISMISSED, reason: "Test", idempotencyKey: $k) { id } }',
  'Mutation.resolveFraudCase(reason)': 'mutation ($s: String!, $k: ID!) { resolveFraudCase(caseId: $k, status: DISMISSED, reason: $s, idempotencyKey: $k) { id } }',
  'Mutation.resolveFraudCase(idempotencyKey)': 'mutation ($s: ID!, $k: ID!) { resolveFraudCase(caseId: $k, status: DISMISSED, reason: "Test", idempotencyKey: $s) { id } }',
  'Mutation.clawback(caseId)': 'mutation ($s: ID!, $k: ID!) { clawback(caseId: $s, points: 1, reason: "Test", idempotencyKey: $k) { points } }',
  'Mutation.clawback(reason)': 'mutation ($s: String!, $k: ID!) { clawback(caseId: $k, points: 1, reason: $s, idempotencyKey: $k) { points } }',
  'Mutation.clawback(idempotencyKey)': 'mutation ($s: ID!, $k: ID!) { clawback(caseId: $k, points: 1, reason: "Test", idempotencyKey: $s) { points } }',
  'Mutation.settle(period)': 'mutation ($s: String!) { settle(period: $s) { party } }',
  'Mutation.publishPromotion(merchantId)': `mutation ($s: ID!) { publishPromotion(merchantId: $s, input: ${PROMOTION({})}) { id } }`,
  'Mutation.publishPromotion(input).title': `mutation ($s: String!) { publishPromotion(merchantId: ${M}, input: ${PROMOTION({ title: '$s' })}) { id } }`,
  'Mutation.publishPromotion(input).startsAt': `mutation ($s: DateTime!) { publishPromotion(merchantId: ${M}, input: ${PROMOTION({ startsAt: '$s' })}) { id } }`,
  'Mutation.publishPromotion(input).endsAt': `mutation ($s: DateTime!) { publishPromotion(merchantId: ${M}, input: ${PROMOTION({ endsAt: '$s' })}) { id } }`,
  'Mutation.publishPromotion(input).productCategories': `mutation ($s: String!) { publishPromotion(merchantId: ${M}, input: ${PROMOTION({ productCategories: '[$s]' })}) { id } }`,
  'Query.greenActivity(id)': 'query ($s: ID!) { greenActivity(id: $s) { id } }',
  'Mutation.recordGreenActivity(input).userId': 'mutation ($s: ID!, $k: ID!) { recordGreenActivity(input: { userId: $s, kind: SURVEY }, idempotencyKey: $k) { id } }',
  'Mutation.recordGreenActivity(input).organiserId': `mutation ($s: ID, $k: ID!) { recordGreenActivity(input: { userId: "${DEMO_CONSUMER_ID}", kind: SURVEY, organiserId: $s }, idempotencyKey: $k) { id } }`,
  'Mutation.recordGreenActivity(input).occurredAt': `mutation ($s: DateTime, $k: ID!) { recordGreenActivity(input: { userId: "${DEMO_CONSUMER_ID}", kind: SURVEY, occurredAt: $s }, idempotencyKey: $k) { id } }`,
  'Mutation.recordGreenActivity(input).reference': `mutation ($s: String, $k: ID!) { recordGreenActivity(input: { userId: "${DEMO_CONSUMER_ID}", kind: E_RECEIPT, reference: $s }, idempotencyKey: $k) { id } }`,
  'Mutation.recordGreenActivity(idempotencyKey)': `mutation ($s: ID!) { recordGreenActivity(input: { userId: "${DEMO_CONSUMER_ID}", kind: E_RECEIPT }, idempotencyKey: $s) { id } }`,
  // Service-only (the gateway refuses every client): sent to the merchants subgraph as the ledger's signed principal.
  'Mutation.reserveStock(rewardId)': 'mutation ($s: ID!, $k: ID!) { reserveStock(rewardId: $s, quantity: 1, redemptionId: $k) { status } }',
  'Mutation.reserveStock(redemptionId)': `mutation ($s: ID!) { reserveStock(rewardId: ${M}, quantity: 1, redemptionId: $s) { status } }`,
  'Mutation.releaseStock(redemptionId)': 'mutation ($s: ID!) { releaseStock(redemptionId: $s) { status } }',
  'Mutation.confirmStock(redemptionId)': 'mutation ($s: ID!) { confirmStock(redemptionId: $s) { status } }',
};
const SERVICE_ONLY = new Set(['Mutation.reserveStock(rewardId)', 'Mutation.reserveStock(redemptionId)', 'Mutation.releaseStock(redemptionId)', 'Mutation.confirmStock(redemptionId)']);

/** The table each writing mutation adds a row to, so a hostile but valid value is counted, not hidden. */
const WRITES: Record<string, 'purchases' | 'merchants' | 'products' | 'rewards' | 'users' | 'promotions'> = {
  recordPurchase: 'purchases',
  publishPromotion: 'promotions',
  registerMerchant: 'merchants',
  listProduct: 'products',
  upsertReward: 'rewards',
  registerUser: 'users',
};
/**
 * Who sends each case: admins by default; a consumer's own profile is written by that consumer —
 * registration by a fresh one each time (a new id), profile changes by the demo consumer.
 */
const CONSUMER_MUTATIONS = ['redeemReward', 'transferPoints', 'contributeToHousehold', 'updateProfile', 'grantConsent', 'createHousehold', 'inviteToHousehold', 'acceptHouseholdInvite', 'declineHouseholdInvite', 'removeHouseholdMember', 'transferHouseholdOwnership'];
const SENDER = (key: string): 'admin' | 'new consumer' | 'demo consumer' =>
  key.startsWith('Mutation.registerUser') ? 'new consumer' : CONSUMER_MUTATIONS.some((m) => key.startsWith(`Mutation.${m}(`)) ? 'demo consumer' : 'admin';

/** Strings that must each come back as BAD_USER_INPUT wherever they are sent. */
const REFUSED = {
  'a NUL byte': 'abc\u0000def',
  'a lone surrogate': 'abc\uD800def',
};
/** Strings that may be valid (or not found) but must never cause an internal error. */
const SURVIVABLE = {
  'SQL-looking text': "'; DROP TABLE users.users; --",
  'unicode (CJK, emoji, right-to-left, combining)': '绿色积分 🌱🌍 مرحبا e\u0301 \u202Eevil',
  'a 10,000-character string': 'x'.repeat(10_000),
  'an empty string': '',
};
/** Cursors are opaque, not secret: anyone can forge one, so each is checked before it reaches SQL. */
const MALFORMED_CURSORS = {
  garbage: 'not-a-cursor',
  'JSON that is not a cursor': encodeCursor(['a', 1]),
  'a cursor with every key': encodeCursor({ id: randomUUID(), sku: 'x', at: '2026-01-01T00:00:00Z', cost: 1 }),
  'SQL in a cursor': encodeCursor({ id: "' OR 1=1 --", sku: 'x'.repeat(65), at: "now()'; --", cost: 1 }),
  'huge numbers in a cursor': encodeCursor({ id: randomUUID(), cost: 1e20, at: '+275760-09-13T00:00:00.000Z', sku: 'x'.repeat(100) }),
  'NUL in a cursor': encodeCursor({ id: '\u0000', sku: 'a\u0000', at: '\u0000', cost: 1 }),
};
/** Well-formed cursors with hostile content: they may page from anywhere, but never fail inside. */
const WELL_FORMED_HOSTILE_CURSORS: Record<string, string> = {
  'Query.greenZone(after)': encodeCursor({ sku: "'; DROP TABLE users.users; --" }),
  'Query.merchants(after)': encodeCursor({ id: randomUUID() }),
  'Query.catalog(after)': encodeCursor({ cost: -2_147_483_648, id: randomUUID() }),
  'Merchant.products(after)': encodeCursor({ sku: '绿色 🌱 \' OR 1=1 --' }),
  'PointsAccount.transactions(after)': encodeCursor({ at: '2000-01-01T00:00:00Z', id: randomUUID() }),
  'GreenReport.records(after)': encodeCursor({ at: '2999-01-01T00:00:00Z', id: randomUUID() }),
};

/** Every String/ID/DateTime argument (and input field) of the public API, as `Type.field(arg).path`. */
function textInputsOfApi(): string[] {
  const schema = buildSchema(readFileSync(new URL('../../schema/api.graphql', import.meta.url), 'utf8'));
  const found: string[] = [];
  const walk = (path: string, type: GraphQLInputType) => {
    const named = getNamedType(type);
    if (isInputObjectType(named)) for (const f of Object.values(named.getFields())) walk(`${path}.${f.name}`, f.type);
    else if (isScalarType(named) && ['String', 'ID', 'DateTime'].includes(named.name)) found.push(path);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) for (const arg of field.args) walk(`${type.name}.${field.name}(${arg.name})`, arg.type);
  }
  return found.sort();
}

let t: TestStack;
let admin: string;
let demoConsumer: string;
let phones = 0;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  admin = await t.token({ role: 'admin', sub: 'ops-1' });
  demoConsumer = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
});
afterAll(() => t?.stop());

async function rowCounts() {
  const [row] = await t.sql`SELECT
    (SELECT count(*) FROM users.users)::int AS users, (SELECT count(*) FROM users.households)::int AS households,
    (SELECT count(*) FROM users.household_invitations)::int AS invitations, (SELECT count(*) FROM users.consents)::int AS consents,
    (SELECT count(*) FROM merchants.merchants)::int AS merchants, (SELECT count(*) FROM merchants.rewards)::int AS rewards,
    (SELECT count(*) FROM merchants.products)::int AS products, (SELECT count(*) FROM merchants.promotions)::int AS promotions, (SELECT count(*) FROM ledger.postings)::int AS postings,
    (SELECT count(*) FROM ledger.purchases)::int AS purchases, (SELECT count(*) FROM green.impact_records)::int AS impact`;
  return row!;
}

/** A request straight to the merchants subgraph, signed as the ledger's service principal. */
async function asService(query: string, variables: Record<string, unknown>) {
  const body = JSON.stringify({ query, variables });
  const headers = signRequest({ principal: servicePrincipal('ledger'), subgraph: 'merchants', body }, secrets.signingSecret);
  const res = await fetch(t.stack.subgraphUrls['merchants']!, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] } };
}

async function send(key: string, value: string) {
  const sender = SENDER(key);
  const token = sender === 'admin' ? admin : sender === 'demo consumer' ? demoConsumer : await t.token({ role: 'consumer', sub: randomUUID() });
  // A phone number nobody has, for registrations whose hostile value is elsewhere.
  const variables = { s: value, k: randomUUID(), p: `137${String(++phones).padStart(8, '0')}` };
  const res = SERVICE_ONLY.has(key) ? await asService(CASES[key]!, variables) : await t.graphql(CASES[key]!, variables, token);
  const errors: { extensions?: { code?: string } }[] = res.body.errors ?? [];
  const field = Object.keys(WRITES).find((f) => res.body.data?.[f]);
  const table = field === undefined ? undefined : WRITES[field];
  // A new reward (no input.id) is a write; replacing one is not a new row.
  const wrote = table !== undefined && !(field === 'upsertReward' && key === 'Mutation.upsertReward(input).id');
  return { status: res.status, codes: errors.map((e) => e.extensions?.code ?? 'NO_CODE'), wrote, table: wrote ? table : undefined };
}

describe('hostile text in every text input', () => {
  it('has a case for every text input of the API (a new one must be added here)', () => {
    expect(Object.keys(CASES).sort()).toEqual(textInputsOfApi());
  });

  for (const [what, value] of Object.entries(REFUSED)) {
    it(`refuses ${what} in every text input with BAD_USER_INPUT and writes nothing`, async () => {
      const before = await rowCounts();
      for (const key of Object.keys(CASES)) {
        const result = await send(key, value);
        expect({ key, ...result }).toEqual({ key, status: result.status, codes: ['BAD_USER_INPUT'], wrote: false, table: undefined });
        expect(result.status).toBeLessThan(500);
      }
      expect(await rowCounts()).toEqual(before);
    });
  }

  for (const [what, value] of Object.entries(SURVIVABLE)) {
    it(`answers ${what} in every text input without an internal error`, async () => {
      const before = await rowCounts();
      const added = { purchases: 0, merchants: 0, products: 0, rewards: 0, users: 0, promotions: 0 };
      for (const key of Object.keys(CASES)) {
        const result = await send(key, value);
        expect(result.status, key).toBeLessThan(500);
        for (const code of result.codes) expect([key, code]).not.toEqual([key, 'INTERNAL_SERVER_ERROR']);
        expect(result.codes, key).not.toContain('NO_CODE');
        if (result.table) added[result.table] += 1;
      }
      // A strange idempotency key, SKU or name may still be valid (one row each, counted); nothing else may change.
      expect(await rowCounts()).toEqual({
        ...before,
        purchases: before['purchases'] + added.purchases,
        merchants: before['merchants'] + added.merchants,
        products: before['products'] + added.products,
        rewards: before['rewards'] + added.rewards,
        users: before['users'] + added.users,
        promotions: before['promotions'] + added.promotions,
        postings: expect.any(Number),
      });
    });
  }

  it('refuses a NUL or a lone surrogate written as a literal in the query text, with a client error code', async () => {
    // GraphQL's own parser already refuses a lone-surrogate escape in a literal; a NUL gets through to us.
    for (const [escaped, code] of [['a\\u0000b', 'BAD_USER_INPUT'], ['a\\uD800b', 'GRAPHQL_PARSE_FAILED']]) {
      for (const query of [
        `{ catalog(filter: { search: "${escaped}" }) { edges { cursor } } }`,
        `{ product(sku: "${escaped}") { sku } }`,
        `mutation { recordPurchase(input: { ${BUYER} }, idempotencyKey: "${escaped}") { id } }`,
      ]) {
        const res = await t.graphql(query, {}, admin);
        expect(res.status).toBeLessThan(500);
        expect({ query, codes: res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code) }).toEqual({ query, codes: [code] });
      }
    }
  });

  it('refuses malformed cursors in every connection with BAD_USER_INPUT', async () => {
    const connections = Object.keys(CASES).filter((key) => key.endsWith('(after)'));
    expect(connections).toHaveLength(6);
    for (const [what, cursor] of Object.entries(MALFORMED_CURSORS)) {
      for (const key of connections) expect({ key, what, ...(await send(key, cursor)) }).toMatchObject({ key, what, codes: ['BAD_USER_INPUT'] });
    }
    for (const key of connections) expect({ key, ...(await send(key, WELL_FORMED_HOSTILE_CURSORS[key]!)) }).toMatchObject({ key, codes: [] });
  });

  it('refuses integers beyond what the data can hold with BAD_USER_INPUT', async () => {
    const codes = async (query: string, variables: Record<string, unknown> = {}) =>
      ((await t.graphql(query, variables, admin)).body.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code);
    expect(await codes('query ($n: Int) { catalog(first: $n) { edges { cursor } } }', { n: 2_147_483_647 })).toEqual(['BAD_USER_INPUT']);
    expect(await codes('query ($n: Int) { catalog(first: $n) { edges { cursor } } }', { n: 99_999_999_999 })).toEqual(['BAD_USER_INPUT']);
    expect(await codes(`{ user(id: "${DEMO_CONSUMER_ID}") { points { expiring(withinDays: 2147483647) { amount } } } }`)).toEqual(['BAD_USER_INPUT']);
    const huge = `mutation ($k: ID!) { recordPurchase(input: { ${BUYER.replace('1000', '2147483647')} }, idempotencyKey: $k) { id } }`;
    expect(await codes(huge, { k: randomUUID() })).toEqual(['BAD_USER_INPUT']);
    expect(await codes('{ catalog(filter: { maxPointsCost: 2147483647 }, first: 1) { edges { cursor } } }')).toEqual([]);
  });

  it('still answers afterwards, and every table is still there', async () => {
    const res = await t.graphql('{ merchants(first: 1) { edges { node { name } } } }').expect(200);
    expect(res.body.data.merchants.edges).toHaveLength(1);
    const [{ n }] = (await t.sql`SELECT count(*)::int AS n FROM users.users`) as unknown as [{ n: number }];
    expect(n).toBeGreaterThan(0);
  });
});
