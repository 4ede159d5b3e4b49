// Proves every field of the composed schema has a stated access rule, that the SDL says it, and that the gateway enforces it for every role.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_CONSUMER_ID, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { buildSchema, isNonNullType, isObjectType, Kind, parse, type ConstDirectiveNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const ROLES = ['anonymous', 'consumer', 'merchant', 'partner', 'analyst', 'admin', 'auditor'] as const;
type Role = (typeof ROLES)[number];

/** Who may read a field at the gateway. 'public' = everyone; 'signed-in' = any verified token. */
/** `service` is the subgraphs' own signed principal: no client token carries it, so such a field refuses every client. */
type Rule = 'public' | 'signed-in' | readonly (Role | 'service')[];
const PERSONAL: Rule = ['consumer', 'admin', 'auditor'];

/**
 * The access rule of every field with a rule of its own. Every other field must belong to a type in
 * PROTECTED_BY_PARENT (reachable only through a field with a rule) or PUBLIC. A new field or type
 * that is in none of them fails this test until someone decides who may read it.
 */
const RULES: Record<string, Rule> = {
  'Query.me': 'signed-in',
  'Query.user': 'signed-in',
  'Query.household': PERSONAL,
  'Query.platformGreenReport': 'signed-in',
  'User.displayName': ['consumer', 'partner', 'admin', 'auditor'],
  'User.phone': PERSONAL,
  'User.ageBand': ['consumer', 'partner', 'admin', 'auditor'],
  'User.status': PERSONAL,
  'User.registeredAt': PERSONAL,
  'User.household': PERSONAL,
  'User.points': PERSONAL,
  'User.greenImpact': PERSONAL,
  'Merchant.settlementMinorPer100Points': ['merchant', 'admin', 'auditor'],
  'Merchant.greenImpact': ['merchant', 'partner', 'analyst', 'admin', 'auditor'],
  'Mutation.recordPurchase': ['merchant', 'admin'],
  'Mutation.registerUser': ['consumer'],
  'Mutation.updateProfile': ['consumer'],
  'User.householdInvitations': PERSONAL,
  'User.consents': PERSONAL,
  'User.consentHistory': PERSONAL,
  'Mutation.grantConsent': ['consumer'],
  'Mutation.revokeConsent': ['consumer'],
  'Mutation.createHousehold': ['consumer'],
  'Mutation.inviteToHousehold': ['consumer'],
  'Mutation.acceptHouseholdInvite': ['consumer'],
  'Mutation.declineHouseholdInvite': ['consumer'],
  'Mutation.leaveHousehold': ['consumer'],
  'Mutation.removeHouseholdMember': ['consumer'],
  'Mutation.transferHouseholdOwnership': ['consumer'],
  'Mutation.deleteMyAccount': ['consumer'],
  'Query.exportMyData': ['consumer'],
  'DataExport.profile': PERSONAL,
  'DataExport.ledger': PERSONAL,
  'DataExport.greenImpact': PERSONAL,
  'Mutation.registerMerchant': ['admin'],
  'Mutation.setMerchantStatus': ['admin'],
  'Mutation.updateMerchantProfile': ['merchant', 'admin'],
  'Mutation.listProduct': ['merchant', 'admin'],
  'Mutation.upsertReward': ['merchant', 'admin'],
  'Mutation.publishEarnRule': ['merchant', 'admin'],
  'Mutation.publishPromotion': ['merchant', 'admin'],
  'Mutation.reserveStock': ['service'],
  'Mutation.releaseStock': ['service'],
  'Mutation.confirmStock': ['service'],
  'Household.pointsPool': PERSONAL,
  'Mutation.refundPurchase': ['merchant', 'admin'],
  'Mutation.redeemReward': ['consumer'],
  'Mutation.cancelRedemption': ['merchant', 'admin'],
  'Mutation.transferPoints': ['consumer'],
  'Mutation.contributeToHousehold': ['consumer'],
  'Mutation.expirePoints': ['admin'],
  'Mutation.fundIssuanceBudget': ['admin'],
  'Mutation.openFraudCase': ['admin', 'auditor'],
  'Mutation.freezeAccount': ['admin', 'auditor'],
  'Mutation.resolveFraudCase': ['admin', 'auditor'],
  'Mutation.clawback': ['admin', 'auditor'],
  'Mutation.settle': ['admin', 'auditor'],
  'Query.analytics': ['analyst', 'admin'],
  'User.partnerBalance': ['partner'],
  'Mutation.recordGreenActivity': ['merchant', 'admin'],
  'Query.greenActivity': 'signed-in',
};
const PUBLIC_FIELDS = new Set(['Query.greenZone', 'Query.emissionFactors', 'Query.merchants', 'Query.merchant', 'Query.catalog', 'Query.reward', 'Query.product', 'Query.programRules', 'Query.greenActivityRules', 'User.id']);
const PUBLIC_TYPES = new Set(['Merchant', 'Product', 'GreenProfile', 'EmissionFactor', 'PageInfo', 'ProductConnection', 'ProductEdge', 'EarnRule', 'Reward', 'RewardSale', 'MerchantConnection', 'MerchantEdge', 'RewardConnection', 'RewardEdge', 'ProgramRules', 'CategoryRate', 'GreenActivityRule', 'Promotion']);
const PROTECTED_BY_PARENT = new Set([
  'Household', 'HouseholdInvitation', 'Consent', 'StockReservation', 'DataExport', 'PointsAccount', 'ExpiringLot', 'Transaction', 'TransactionConnection', 'TransactionEdge', 'Purchase', 'PurchaseLine',
  'Analytics', 'FlowReport', 'AnalyticsFigures', 'MerchantFlow', 'CategoryFlow', 'MonthFlow', 'OutstandingPoints', 'TierReport', 'TierMembers', 'BudgetUse',
  'GreenImpactAnalytics', 'GreenImpactFigures', 'GreenCategoryAnalytics', 'GreenMonthAnalytics',
  'GreenReport', 'Period', 'ImpactTotals', 'CategoryImpact', 'MonthlyImpact', 'Equivalents', 'GreenActivity',
  'TierProgress', 'Redemption', 'FraudCase', 'ClawbackResult', 'ExpiryResult', 'Settlement', 'SettlementPosition', 'PartnerBalance',
  'Equivalent', 'MemberRank', 'ImpactRecord', 'ImpactRecordConnection', 'ImpactRecordEdge',
]);

/** The rule the supergraph's directives state for a field. */
function ruleInSdl(directives: readonly ConstDirectiveNode[]): Rule {
  const scopes = directives.find((d) => d.name.value === 'requiresScopes');
  if (scopes) {
    const value = scopes.arguments?.[0]?.value;
    if (value?.kind !== Kind.LIST) throw new Error('requiresScopes without a list');
    return value.values.map((group) => {
      if (group.kind !== Kind.LIST || group.values.length !== 1 || group.values[0]?.kind !== Kind.STRING) throw new Error('one scope per group expected');
      return group.values[0].value.replace(/^role:/, '') as Role | 'service';
    });
  }
  return directives.some((d) => d.name.value === 'authenticated') ? 'signed-in' : 'public';
}

const contract = buildSchema(readFileSync(root('schema/contracts/partner.graphql'), 'utf8'));
/** Whether a field is in the partner contract (and so exists at all for a partner). */
function inContract(coordinate: string): boolean {
  const [typeName, fieldName] = coordinate.split('.') as [string, string];
  const type = contract.getType(typeName);
  return isObjectType(type) && fieldName in type.getFields();
}

/** An id no row has. */
const NOBODY = '00000000-0000-4000-8000-00000000dead';

const allows = (rule: Rule, role: Role) => (rule === 'public' ? true : rule === 'signed-in' ? role !== 'anonymous' : rule.includes(role));

describe('the schema states a rule for every field', () => {
  const supergraph = parse(readFileSync(root('schema/supergraph.graphql'), 'utf8'));
  const api = buildSchema(readFileSync(root('schema/api.graphql'), 'utf8'));
  const sdlRules = new Map<string, Rule>();
  for (const def of supergraph.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    for (const f of def.fields ?? []) sdlRules.set(`${def.name.value}.${f.name.value}`, ruleInSdl(f.directives ?? []));
  }

  it('has an expected rule for every field of the API, and the SDL states exactly that rule', () => {
    for (const type of Object.values(api.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.keys(type.getFields())) {
        const coordinate = `${type.name}.${field}`;
        const expected = RULES[coordinate] ?? (PUBLIC_FIELDS.has(coordinate) || PUBLIC_TYPES.has(type.name) || PROTECTED_BY_PARENT.has(type.name) ? 'public' : undefined);
        expect(expected, `${coordinate} has no access rule in this test: decide who may read it`).toBeDefined();
        expect(sdlRules.get(coordinate), coordinate).toEqual(expected);
      }
    }
  });

  it('makes every field behind a rule nullable, so a refused field is a legal null', () => {
    for (const coordinate of Object.keys(RULES)) {
      const [typeName, fieldName] = coordinate.split('.') as [string, string];
      const type = api.getType(typeName);
      if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
      expect(isNonNullType(type.getFields()[fieldName]!.type), `${coordinate} must be nullable`).toBe(false);
    }
  });
});

describe('the gateway enforces the rules for every role', () => {
  let t: TestStack;
  const tokens = new Map<Role, string | undefined>();
  let householdId = '';

  beforeAll(async () => {
    t = await startTestStack({ relay: false });
    const [u] = await t.sql`SELECT household_id FROM users.users WHERE id = ${DEMO_CONSUMER_ID}`;
    householdId = u!['household_id'];
    tokens.set('anonymous', undefined);
    tokens.set('consumer', await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID }));
    tokens.set('merchant', await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID }));
    tokens.set('partner', await t.token({ role: 'partner', partnerId: 'partner-1' }));
    tokens.set('analyst', await t.token({ role: 'analyst', sub: 'analyst-1' }));
    tokens.set('admin', await t.token({ role: 'admin', sub: 'admin-1' }));
    tokens.set('auditor', await t.token({ role: 'auditor', sub: 'auditor-1' }));
  });
  afterAll(() => t?.stop());

  /** One probe per ruled field: the query that reaches it and where the field sits in the answer. */
  const probes = (): Record<string, { query: string; path: string[]; consumerSub?: string }> => {
    const user = (sel: string) => ({ query: `{ user(id: "${DEMO_CONSUMER_ID}") { id ${sel} } }`, path: ['user', sel.split(' ')[0]!] });
    return {
      'Query.me': { query: '{ me { id } }', path: ['me'] },
      'Query.exportMyData': { query: '{ exportMyData { userId } }', path: ['exportMyData'] },
      'Query.user': { query: `{ user(id: "${DEMO_CONSUMER_ID}") { id } }`, path: ['user'] },
      'Query.household': { query: `{ household(id: "${householdId}") { id } }`, path: ['household'] },
      'Query.platformGreenReport': { query: '{ platformGreenReport { totals { records } } }', path: ['platformGreenReport'] },
      'User.displayName': user('displayName'),
      'User.phone': user('phone'),
      'User.ageBand': user('ageBand'),
      'User.status': user('status'),
      'User.registeredAt': user('registeredAt'),
      'User.household': user('household { id }'),
      'User.points': user('points { balance }'),
      'User.greenImpact': user('greenImpact { totals { records } }'),
      'Merchant.settlementMinorPer100Points': { query: `{ merchant(id: "${DEMO_MERCHANT_ID}") { id settlementMinorPer100Points } }`, path: ['merchant', 'settlementMinorPer100Points'] },
      'Merchant.greenImpact': { query: `{ merchant(id: "${DEMO_MERCHANT_ID}") { id greenImpact { totals { records } } } }`, path: ['merchant', 'greenImpact'] },
      'Mutation.recordPurchase': {
        query: `mutation { recordPurchase(input: { userId: "${DEMO_CONSUMER_ID}", merchantId: "${DEMO_MERCHANT_ID}", amountMinor: 0 }, idempotencyKey: "matrix") { id } }`,
        path: ['recordPurchase'],
      },
      // The demo consumer is registered already (ALREADY_REGISTERED): the rule is what is probed here.
      'Mutation.registerUser': { query: 'mutation { registerUser(input: { displayName: "x", phone: "13800000000", ageBand: AGE_18_59 }) { id } }', path: ['registerUser'] },
      'Mutation.updateProfile': { query: 'mutation { updateProfile(input: {}) { id } }', path: ['updateProfile'] },
      'User.householdInvitations': user('householdInvitations { id }'),
      'User.consents': user('consents { kind }'),
      'User.consentHistory': user('consentHistory { kind }'),
      'Mutation.grantConsent': { query: 'mutation { grantConsent(kind: ANALYTICS) { id } }', path: ['grantConsent'] },
      'Mutation.revokeConsent': { query: 'mutation { revokeConsent(kind: ANALYTICS) { id } }', path: ['revokeConsent'] },
      // Sent as a consumer who never registered (NOT_REGISTERED), so the demo account survives the matrix.
      'Mutation.deleteMyAccount': { query: 'mutation { deleteMyAccount { id } }', path: ['deleteMyAccount'], consumerSub: NOBODY },
      // Household changes the demo consumer may make but that are refused with a code of their own
      // (already in a household, no such user or invitation): the rule is what is probed.
      'Mutation.createHousehold': { query: 'mutation { createHousehold(name: "x") { id } }', path: ['createHousehold'] },
      'Mutation.inviteToHousehold': { query: `mutation { inviteToHousehold(householdId: "${householdId}", userId: "${NOBODY}") { id } }`, path: ['inviteToHousehold'] },
      'Mutation.acceptHouseholdInvite': { query: `mutation { acceptHouseholdInvite(householdId: "${NOBODY}") { id } }`, path: ['acceptHouseholdInvite'] },
      'Mutation.declineHouseholdInvite': { query: `mutation { declineHouseholdInvite(householdId: "${NOBODY}") { id } }`, path: ['declineHouseholdInvite'] },
      'Mutation.removeHouseholdMember': { query: `mutation { removeHouseholdMember(householdId: "${householdId}", userId: "${NOBODY}") { id } }`, path: ['removeHouseholdMember'] },
      'Mutation.transferHouseholdOwnership': { query: `mutation { transferHouseholdOwnership(householdId: "${householdId}", userId: "${NOBODY}") { id } }`, path: ['transferHouseholdOwnership'] },
      // The demo consumer really leaves (their household passes to another member); nothing after
      // this in the file depends on their membership.
      'Mutation.leaveHousehold': { query: 'mutation { leaveHousehold { id } }', path: ['leaveHousehold'] },
      // Each probe that passes the gateway is refused by the subgraph's own checks (a blank name, a
      // zero price) or changes nothing, so the matrix writes nothing.
      'Mutation.registerMerchant': { query: 'mutation { registerMerchant(input: { name: " ", category: FRUIT, settlementMinorPer100Points: 50 }) { id } }', path: ['registerMerchant'] },
      'Mutation.setMerchantStatus': { query: `mutation { setMerchantStatus(merchantId: "${DEMO_MERCHANT_ID}", status: ACTIVE) { id } }`, path: ['setMerchantStatus'] },
      'Mutation.updateMerchantProfile': { query: `mutation { updateMerchantProfile(merchantId: "${DEMO_MERCHANT_ID}", input: {}) { id } }`, path: ['updateMerchantProfile'] },
      'Mutation.listProduct': {
        query: `mutation { listProduct(merchantId: "${DEMO_MERCHANT_ID}", input: { sku: "MATRIX-1", name: "x", priceMinor: -1, category: "X" }) { sku } }`,
        path: ['listProduct'],
      },
      'Mutation.upsertReward': {
        query: `mutation { upsertReward(merchantId: "${DEMO_MERCHANT_ID}", input: { title: "x", kind: GOODS, pointsCost: 0, stock: 1, validFrom: "2026-01-01", terms: "t" }) { id } }`,
        path: ['upsertReward'],
      },
      'Mutation.publishEarnRule': {
        query: `mutation { publishEarnRule(merchantId: "${DEMO_MERCHANT_ID}", input: { pointsPerYuan: 1, pendingDays: 1, effectiveFrom: "2020-01-01" }) { version } }`,
        path: ['publishEarnRule'],
      },
      'Mutation.publishPromotion': {
        query: `mutation { publishPromotion(merchantId: "${DEMO_MERCHANT_ID}", input: { title: "x", multiplierPercent: 200, startsAt: "2099-01-01", endsAt: "2099-02-01", budgetPoints: 0 }) { id } }`,
        path: ['publishPromotion'],
      },
      'Mutation.reserveStock': { query: `mutation { reserveStock(rewardId: "${DEMO_MERCHANT_ID}", quantity: 1, redemptionId: "${DEMO_MERCHANT_ID}") { status } }`, path: ['reserveStock'] },
      'Mutation.releaseStock': { query: `mutation { releaseStock(redemptionId: "${DEMO_MERCHANT_ID}") { status } }`, path: ['releaseStock'] },
      'Mutation.confirmStock': { query: `mutation { confirmStock(redemptionId: "${DEMO_MERCHANT_ID}") { status } }`, path: ['confirmStock'] },
      'Query.analytics': { query: '{ analytics { scope minGroupSize } }', path: ['analytics'] },
      // A date in the future is refused by the subgraph (BAD_USER_INPUT), so the matrix records nothing.
      'Mutation.recordGreenActivity': {
        query: `mutation { recordGreenActivity(input: { userId: "${DEMO_CONSUMER_ID}", kind: SURVEY, occurredAt: "2099-01-01T00:00:00Z" }, idempotencyKey: "matrix") { id } }`,
        path: ['recordGreenActivity'],
      },
      'Query.greenActivity': { query: `{ greenActivity(id: "${NOBODY}") { id } }`, path: ['greenActivity'] },
    };
  };

  for (const role of ROLES) {
    it(`holds ${role} to every rule`, async () => {
      for (const [coordinate, probe] of Object.entries(probes())) {
        const token = probe.consumerSub && role === 'consumer' ? await t.token({ role, sub: probe.consumerSub }) : tokens.get(role);
        const res = await t.graphql(probe.query, {}, token);
        // Partners are held to the partner contract: outside it a field does not exist for them.
        if (role === 'partner' && !inContract(coordinate)) {
          expect(res.status, coordinate).toBe(400);
          expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
          continue;
        }
        expect(res.status, `${role} ${coordinate}`).toBe(200);
        const refusals = ((res.body.errors ?? []) as { extensions: { code: string; field?: string }; path?: string[] }[]).filter((e) => e.extensions.field === coordinate);
        let value: unknown = res.body.data;
        for (const key of probe.path) value = value == null ? value : (value as Record<string, unknown>)[key];
        if (allows(RULES[coordinate]!, role)) {
          expect(refusals, `${role} may read ${coordinate}`).toEqual([]);
        } else {
          expect(value ?? null, `${role} must not read ${coordinate}`).toBeNull();
          for (const e of refusals) expect(e.extensions.code, coordinate).toBe(role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
        }
      }
    });
  }

  it("remembers the contract's verdict per document, never per caller: refused for a partner every time, answered for others", async () => {
    const outside = `{ merchant(id: "${DEMO_MERCHANT_ID}") { settlementMinorPer100Points } }`;
    const inside = `{ catalog(first: 1) { edges { node { id } } } }`;
    for (let round = 0; round < 2; round++) {
      const partner = await t.graphql(outside, {}, tokens.get('partner'));
      expect(partner.status).toBe(400);
      expect(partner.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const admin = await t.graphql(outside, {}, tokens.get('admin')).expect(200);
      expect(admin.body.data.merchant.settlementMinorPer100Points).toEqual(expect.any(Number));
      const allowed = await t.graphql(inside, {}, tokens.get('partner')).expect(200);
      expect(allowed.body.data.catalog.edges).toHaveLength(1);
    }
  });

  it('shows each role exactly the fields it may see on the demo rows (values, not just absence of errors)', async () => {
    const consumer = await t.graphql(`{ me { displayName phone points { balance } greenImpact { totals { records } } } }`, {}, tokens.get('consumer')).expect(200);
    expect(consumer.body.errors).toBeUndefined();
    expect(consumer.body.data.me.displayName).toEqual(expect.any(String));
    const merchant = await t.graphql(`{ merchant(id: "${DEMO_MERCHANT_ID}") { settlementMinorPer100Points } }`, {}, tokens.get('merchant')).expect(200);
    expect(merchant.body.data.merchant.settlementMinorPer100Points).toEqual(expect.any(Number));
    // Another merchant passes the gateway's rule but not the subgraph's row rule.
    const other = await t.token({ role: 'merchant', merchantId: '00000000-0000-4000-8000-000000000000' });
    const refused = await t.graphql(`{ merchant(id: "${DEMO_MERCHANT_ID}") { name settlementMinorPer100Points } }`, {}, other).expect(200);
    expect(refused.body.data.merchant).toEqual({ name: expect.any(String), settlementMinorPer100Points: null });
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
