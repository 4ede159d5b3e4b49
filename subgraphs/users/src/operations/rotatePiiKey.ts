import { blindIndex, decryptField, encryptField, keyIdOf, piiKeyId } from '@greenpoints/common';
import type { Executor } from '@greenpoints/db';
import { users } from '@greenpoints/db/schema/users';
import { and, asc, eq, gt, isNotNull } from 'drizzle-orm';

export interface PiiKeyRing {
  current: string;
  /** Keys that sealed rows before; without the right one a row cannot be re-sealed. */
  previous: readonly string[];
}

/** At most this many rows a transaction, so a rotation never holds many row locks at once. */
const BATCH_SIZE_MAX = 500;

/**
 * Re-seals every phone under the current key and recomputes its keyed hash under it, batch by
 * batch (rows locked while they change). Idempotent: rows already under the current key are left
 * alone, so it can be stopped and run again. Returns how many rows it re-sealed.
 */
export async function rotatePiiKey(db: Executor, keys: PiiKeyRing, batchSize = 200): Promise<{ resealed: number }> {
  if (batchSize < 1 || batchSize > BATCH_SIZE_MAX) throw new Error(`batchSize must be 1–${BATCH_SIZE_MAX}`);
  const ring = [keys.current, ...keys.previous];
  const currentId = piiKeyId(keys.current);
  let resealed = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const rows = await tx
        .select({ id: users.id, phoneEncrypted: users.phoneEncrypted })
        .from(users)
        .where(and(isNotNull(users.phoneEncrypted), gt(users.id, after)))
        .orderBy(asc(users.id))
        .limit(batchSize)
        .for('update');
      for (const row of rows) {
        if (!row.phoneEncrypted || keyIdOf(row.phoneEncrypted) === currentId) continue;
        const phone = decryptField(row.phoneEncrypted, ring);
        await tx.update(users).set({ phoneEncrypted: encryptField(phone, keys.current), phoneHash: blindIndex(phone, keys.current) }).where(eq(users.id, row.id));
        resealed += 1;
      }
      return rows;
    });
    const last = batch.at(-1);
    if (!last) return { resealed };
    after = last.id;
  }
}
