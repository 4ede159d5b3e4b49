import { blindIndex, DAY_MS, DEMO_CONSUMER_ID, encryptField } from '@greenpoints/common';
import type { Random } from './random.ts';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '子涵', '雨桐', '浩然', '欣怡', '梓轩', '一诺'];
const HOUSEHOLD_NAMES = ['家', '小家', '之家', '一家'];
const PHONE_PREFIXES = ['138', '139', '136', '150', '151', '186', '187', '177', '199', '135'];

export interface SeedUser {
  id: string;
  displayName: string;
  phoneEncrypted: string;
  phoneHash: string;
  ageBand: string;
  householdId: string | null;
  registeredAt: Date;
}

export interface SeedHousehold {
  id: string;
  name: string;
  ownerId: string;
  maxMembers: number;
  createdAt: Date;
}


/**
 * `count` users (the first is the demo consumer) and households of 2–4 of them. About a third of
 * users share a household; the demo consumer owns one.
 */
export function generatePeople(random: Random, count: number, now: Date, piiKey: string) {
  // A phone number belongs to one account. Among a billion numbers, 200,000 draws repeat one about
  // twenty times: a repeat is drawn again (a small seed meets none, so its draws are unchanged).
  const phones = new Set<string>();
  const drawPhone = (): string => {
    for (;;) {
      const phone = `${random.pick(PHONE_PREFIXES)}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
      if (!phones.has(phone)) {
        phones.add(phone);
        return phone;
      }
    }
  };
  const users: SeedUser[] = Array.from({ length: count }, (_, i) => {
    const phone = drawPhone();
    const roll = random.next();
    return {
      id: i === 0 ? DEMO_CONSUMER_ID : random.uuid(),
      displayName: i === 0 ? '林小绿' : `${random.pick(SURNAMES)}${random.pick(GIVEN)}`,
      // A fixed IV per row keeps the seed deterministic; live writes use a random IV.
      phoneEncrypted: encryptField(phone, piiKey, Buffer.from(random.uuid().replace(/-/g, '').slice(0, 24), 'hex')),
      phoneHash: blindIndex(phone, piiKey),
      ageBand: i === 0 ? '18_59' : roll < 0.08 ? 'UNDER_18' : roll < 0.85 ? '18_59' : '60_PLUS',
      householdId: null,
      registeredAt: new Date(now.getTime() - (i === 0 ? 540 : random.int(400, 900)) * DAY_MS),
    };
  });
  const households: SeedHousehold[] = [];
  let i = 0;
  while (i < users.length * 0.35) {
    const size = random.int(2, 4);
    const members = users.slice(i, i + size);
    const owner = members[0];
    if (!owner || members.length < 2) break;
    const household = {
      id: random.uuid(),
      name: `${owner.displayName.slice(0, 1)}${random.pick(HOUSEHOLD_NAMES)}`,
      ownerId: owner.id,
      maxMembers: 6,
      createdAt: new Date(owner.registeredAt.getTime() + 30 * DAY_MS),
    };
    households.push(household);
    for (const m of members) m.householdId = household.id;
    i += size;
  }
  return { users, households };
}
