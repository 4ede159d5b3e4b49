/**
 * The alliance's reference data: merchants, products, rewards, earn rules, green profiles and
 * emission factors. Figures with a public source name it; assumptions say so in `basis`.
 */
import { DEMO_MERCHANT_ID } from '@greenpoints/common';

export interface MerchantSeed {
  key: string;
  id?: string;
  name: string;
  category: string;
  settlementMinorPer100Points: number;
  rule: { pointsPerYuan: number; pendingDays: number; perOrderCap: number | null };
  /** Promotions published at seeding, starting `startInDays` later (never in force in a fresh seed's history). */
  promotions?: { title: string; multiplierPercent: number; startInDays: number; lengthDays: number; ageBands: ('UNDER_18' | '18_59' | '60_PLUS')[]; budgetPoints: number }[];
  products: { sku: string; name: string; priceMinor: number; category: string }[];
  rewards: {
    title: string;
    kind: 'GOODS' | 'SERVICE' | 'VOUCHER' | 'TICKET';
    pointsCost: number;
    sale?: { pointsCost: number; startDaysAgo: number; lengthDays: number };
    /** null: unlimited (a digital pack never runs out). */
    stock: number | null;
    terms: string;
  }[];
}

export const MERCHANTS: MerchantSeed[] = [
  {
    key: 'fruit', id: DEMO_MERCHANT_ID, name: '鲜果时光 Fresh Fruit Time', category: 'FRUIT', settlementMinorPer100Points: 50,
    rule: { pointsPerYuan: 2, pendingDays: 1, perOrderCap: 2_000 },
    products: [
      { sku: 'FRUIT-MANGO-1KG', name: '海南贵妃芒 1kg', priceMinor: 2_980, category: 'FRESH_FRUIT' },
      { sku: 'FRUIT-DURIAN-1', name: '金枕榴莲 (whole)', priceMinor: 16_800, category: 'FRESH_FRUIT' },
      { sku: 'FRUIT-CHERRY-500G', name: '智利车厘子 500g', priceMinor: 5_990, category: 'FRESH_FRUIT' },
      { sku: 'FRUIT-BAG-REUSABLE', name: 'Reusable mesh produce bag', priceMinor: 590, category: 'BAGS' },
    ],
    rewards: [
      { title: 'Seasonal fruit gift box', kind: 'GOODS', pointsCost: 500, sale: { pointsCost: 400, startDaysAgo: 10, lengthDays: 60 }, stock: 120, terms: 'Pick up at any Fresh Fruit Time store within 30 days. Contents vary with the season.' },
      { title: '¥20 fruit voucher', kind: 'VOUCHER', pointsCost: 400, stock: 500, terms: 'Valid 60 days on orders over ¥60. Not exchangeable for cash.' },
    ],
  },
  {
    key: 'telecom', name: '华通移动 Huatong Mobile', category: 'TELECOM', settlementMinorPer100Points: 60,
    rule: { pointsPerYuan: 1, pendingDays: 0, perOrderCap: 5_000 },
    products: [
      { sku: 'TEL-PLAN-128', name: '5G monthly plan ¥128', priceMinor: 12_800, category: 'PLAN' },
      { sku: 'TEL-DATA-10G', name: '10 GB data add-on', priceMinor: 3_000, category: 'ADD_ON' },
    ],
    rewards: [
      { title: '5 GB data pack', kind: 'SERVICE', pointsCost: 300, stock: null, terms: 'Added to your line within 24 hours; valid to the end of the month.' },
      { title: '¥50 bill credit voucher', kind: 'VOUCHER', pointsCost: 1_000, stock: 2_000, terms: 'Credited to your next bill. Not exchangeable for cash.' },
    ],
  },
  {
    key: 'rail', name: '京沪高铁出行 Jinghu Rail', category: 'RAIL', settlementMinorPer100Points: 70,
    rule: { pointsPerYuan: 1, pendingDays: 3, perOrderCap: 3_000 },
    // The seeds' railway: riders over 60 earn fifteen times the points, announced a month ahead.
    promotions: [{ title: '敬老出行: 60岁以上乘客15倍积分 Seniors earn ×15', multiplierPercent: 1_500, startInDays: 30, lengthDays: 30, ageBands: ['60_PLUS'], budgetPoints: 2_000_000 }],
    products: [
      { sku: 'RAIL-G-BJ-SH-2ND', name: 'Beijing–Shanghai G-train, second class', priceMinor: 66_200, category: 'TICKET' },
      { sku: 'RAIL-G-SH-HZ-2ND', name: 'Shanghai–Hangzhou G-train, second class', priceMinor: 7_300, category: 'TICKET' },
    ],
    rewards: [
      { title: 'Shanghai–Hangzhou second-class ticket', kind: 'TICKET', pointsCost: 1_500, stock: 300, terms: 'Book at least 3 days ahead; one change allowed; cancelled trips return points.' },
      { title: 'First-class seat upgrade', kind: 'SERVICE', pointsCost: 2_500, stock: 200, terms: 'Subject to availability at booking.' },
    ],
  },
  {
    key: 'hotel', name: '栖云酒店 Qiyun Hotels', category: 'HOTEL', settlementMinorPer100Points: 80,
    rule: { pointsPerYuan: 2, pendingDays: 7, perOrderCap: 10_000 },
    products: [
      { sku: 'HOTEL-NIGHT-STD', name: 'Standard room, one night', priceMinor: 45_800, category: 'ROOM' },
      { sku: 'HOTEL-BREAKFAST', name: 'Breakfast buffet', priceMinor: 8_800, category: 'DINING' },
    ],
    rewards: [
      { title: 'Room upgrade to a suite', kind: 'SERVICE', pointsCost: 3_000, stock: 150, terms: 'One night, at check-in, subject to availability.' },
      { title: 'Airport pick-up', kind: 'SERVICE', pointsCost: 2_000, stock: 80, terms: 'Book 48 hours ahead; within 40 km of the hotel.' },
    ],
  },
  {
    key: 'supermarket', name: '万家超市 Wanjia Supermarket', category: 'SUPERMARKET', settlementMinorPer100Points: 50,
    rule: { pointsPerYuan: 1, pendingDays: 7, perOrderCap: 2_000 },
    products: [
      { sku: 'SUP-RICE-5KG', name: '东北大米 5kg', priceMinor: 4_990, category: 'GROCERY' },
      { sku: 'SUP-MILK-12', name: 'Whole milk 250ml × 12', priceMinor: 5_800, category: 'DAIRY' },
      { sku: 'SUP-BAG-PP', name: 'Reusable woven PP shopping bag', priceMinor: 300, category: 'BAGS' },
      { sku: 'SUP-OIL-5L', name: 'Peanut oil 5L', priceMinor: 12_900, category: 'GROCERY' },
    ],
    rewards: [
      { title: '¥50 shopping voucher', kind: 'VOUCHER', pointsCost: 1_000, stock: 1_000, terms: 'Valid 90 days, on orders over ¥100. Not exchangeable for cash.' },
      { title: 'Reusable shopping bag', kind: 'GOODS', pointsCost: 100, stock: 5_000, terms: 'Collect at the service desk.' },
    ],
  },
  {
    key: 'cinema', name: '星光影城 Starlight Cinemas', category: 'CINEMA', settlementMinorPer100Points: 60,
    rule: { pointsPerYuan: 2, pendingDays: 0, perOrderCap: 1_000 },
    products: [
      { sku: 'CIN-TICKET-2D', name: '2D movie ticket', priceMinor: 4_500, category: 'TICKET' },
      { sku: 'CIN-POPCORN-L', name: 'Large popcorn combo', priceMinor: 3_800, category: 'SNACK' },
    ],
    rewards: [
      { title: '2D movie ticket', kind: 'TICKET', pointsCost: 800, stock: 600, terms: 'Any 2D screening Monday to Thursday; seat chosen at booking.' },
      { title: 'Popcorn combo', kind: 'GOODS', pointsCost: 350, stock: 900, terms: 'Redeem at the counter the same day.' },
    ],
  },
  {
    key: 'milktea', name: '茶语 TeaTalk', category: 'DINING', settlementMinorPer100Points: 50,
    rule: { pointsPerYuan: 2, pendingDays: 0, perOrderCap: 500 },
    products: [
      { sku: 'TEA-BOBA-M', name: 'Brown-sugar boba milk tea (M)', priceMinor: 1_800, category: 'DRINK' },
      { sku: 'TEA-FRUIT-L', name: 'Fresh grape tea (L)', priceMinor: 2_300, category: 'DRINK' },
    ],
    rewards: [{ title: 'Any medium drink', kind: 'VOUCHER', pointsCost: 300, stock: 3_000, terms: 'Valid 30 days at any TeaTalk store.' }],
  },
  {
    key: 'ride', name: '快行出行 Kuaixing Rides', category: 'TRAVEL', settlementMinorPer100Points: 60,
    rule: { pointsPerYuan: 1, pendingDays: 0, perOrderCap: 300 },
    products: [
      { sku: 'RIDE-CITY', name: 'City ride', priceMinor: 3_200, category: 'RIDE' },
      { sku: 'RIDE-AIRPORT', name: 'Airport transfer', priceMinor: 12_000, category: 'RIDE' },
    ],
    rewards: [{ title: '¥15 ride coupon', kind: 'VOUCHER', pointsCost: 300, stock: 4_000, terms: 'Valid 14 days on rides over ¥20.' }],
  },
  {
    key: 'baby', name: '贝贝母婴 Beibei Mother & Baby', category: 'MOTHER_AND_BABY', settlementMinorPer100Points: 55,
    rule: { pointsPerYuan: 1, pendingDays: 14, perOrderCap: 2_000 },
    products: [
      { sku: 'BABY-FORMULA-900G', name: 'Infant formula stage 1, 900g', priceMinor: 32_800, category: 'FORMULA' },
      { sku: 'BABY-DIAPER-L', name: 'Diapers L × 54', priceMinor: 12_900, category: 'DIAPERS' },
    ],
    rewards: [{ title: 'Baby care gift set', kind: 'GOODS', pointsCost: 1_800, stock: 100, terms: 'Delivered within 7 days; mainland China addresses only.' }],
  },
  {
    key: 'pet', name: '毛孩子宠物 Furkids Pet Store', category: 'PET', settlementMinorPer100Points: 55,
    rule: { pointsPerYuan: 1, pendingDays: 7, perOrderCap: 1_500 },
    products: [
      { sku: 'PET-FOOD-CAT-2KG', name: 'Cat food 2kg', priceMinor: 13_800, category: 'FOOD' },
      { sku: 'PET-GROOM', name: 'Dog grooming session', priceMinor: 16_800, category: 'SERVICE' },
    ],
    rewards: [{ title: 'Pet grooming session', kind: 'SERVICE', pointsCost: 1_600, stock: 60, terms: 'Book 3 days ahead; dogs and cats under 20 kg.' }],
  },
  {
    key: 'gym', name: '燃动健身 Randong Fitness', category: 'FITNESS', settlementMinorPer100Points: 65,
    rule: { pointsPerYuan: 1, pendingDays: 7, perOrderCap: 3_000 },
    products: [
      { sku: 'GYM-MONTH', name: 'One-month membership', priceMinor: 39_900, category: 'MEMBERSHIP' },
      { sku: 'GYM-YOGA-CLASS', name: 'Drop-in yoga class', priceMinor: 9_900, category: 'CLASS' },
    ],
    rewards: [
      { title: 'Yoga class', kind: 'SERVICE', pointsCost: 900, stock: 250, terms: 'Book in the app; 24-hour cancellation.' },
      { title: 'Car wash at partner station', kind: 'SERVICE', pointsCost: 600, stock: 400, terms: 'Standard exterior wash at a listed partner station within 60 days.' },
    ],
  },
  {
    key: 'appliances', name: '绿能家电 GreenVolt Appliances', category: 'APPLIANCES', settlementMinorPer100Points: 70,
    rule: { pointsPerYuan: 1, pendingDays: 14, perOrderCap: 8_000 },
    products: [
      { sku: 'APP-LED-9W', name: 'LED bulb 9W (800 lm, replaces 60W)', priceMinor: 1_290, category: 'LIGHTING' },
      { sku: 'APP-SHOWER-WS', name: 'Water-saving showerhead (WaterSense-class)', priceMinor: 15_900, category: 'BATHROOM' },
      { sku: 'APP-AERATOR', name: 'Faucet aerator 5.7 L/min', priceMinor: 2_900, category: 'BATHROOM' },
      { sku: 'APP-AC-GRADE1', name: 'Inverter air conditioner 1.5 HP, energy label grade 1', priceMinor: 329_900, category: 'AIR_CONDITIONER' },
      { sku: 'APP-FRIDGE-GRADE1', name: 'Refrigerator 400L, energy label grade 1', priceMinor: 459_900, category: 'REFRIGERATOR' },
      { sku: 'APP-KETTLE', name: 'Electric kettle 1.7L', priceMinor: 12_900, category: 'SMALL_APPLIANCE' },
    ],
    rewards: [
      { title: 'LED bulb 4-pack', kind: 'GOODS', pointsCost: 450, stock: 800, terms: 'Delivered with your next order or collected in store.' },
      { title: '¥200 appliance voucher', kind: 'VOUCHER', pointsCost: 4_000, sale: { pointsCost: 3_500, startDaysAgo: 400, lengthDays: 30 }, stock: 300, terms: 'On grade-1 energy-label appliances over ¥2,000.' },
    ],
  },
];

export { EMISSION_FACTORS } from './factors.ts';
export { GREEN_PROFILES, type GreenProfileSeed } from './greenProfiles.ts';

/** Each merchant buys this block of points before it issues any (issuance never exceeds the funded budget). */
export const INITIAL_BUDGET_POINTS = 5_000_000;
/** The funded green budget of each merchant that sells green products or organises green activities. */
export const INITIAL_GREEN_BUDGET_POINTS = 1_000_000;

/**
 * Green budgets for green activities (surveys, trainings, recycling drop-offs…) and green products: the
 * alliance funds its own, and these merchants (and every merchant selling green products) fund one.
 * Other merchants have none, so the ledger refuses their green issuance (BUDGET_EXHAUSTED) until they do.
 */
export const ALLIANCE_GREEN_BUDGET_POINTS = 1_000_000;
export const GREEN_ORGANISERS = ['appliances', 'supermarket', 'telecom', 'rail'];
