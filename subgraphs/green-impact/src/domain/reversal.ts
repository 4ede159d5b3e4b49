/** Which part of each green purchase line a refund takes back: pure arithmetic on integer records. */

export interface OriginalRecord {
  id: string;
  lineNo: number;
  userId: string;
  merchantId: string | null;
  sku: string | null;
  category: string;
  quantity: number;
  co2eGrams: number;
  waterLitres: number;
  plasticGrams: number;
  greenPoints: number;
  factorKey: string | null;
  factorVersion: number | null;
  profileVersion: number | null;
  /** Already taken back by earlier refunds. */
  reversedQuantity: number;
  reversedGreenPoints: number;
}

export interface RefundLines {
  full: boolean;
  lines: { sku: string; quantity: number; greenPoints: number }[];
}

export interface Reversal {
  original: OriginalRecord;
  quantity: number;
  co2eGrams: number;
  waterLitres: number;
  plasticGrams: number;
  greenPoints: number;
}

/** Per-unit impact is exact: a record's figures are its profile's per-unit figures × its quantity. */
function reversalOf(o: OriginalRecord, quantity: number, greenPoints: number): Reversal {
  const perUnit = (total: number) => total / o.quantity;
  return {
    original: o,
    quantity,
    co2eGrams: perUnit(o.co2eGrams) * quantity,
    waterLitres: perUnit(o.waterLitres) * quantity,
    plasticGrams: perUnit(o.plasticGrams) * quantity,
    greenPoints,
  };
}

/**
 * A full refund takes back whatever is left of every line. A refund by lines takes back the refunded
 * quantity of each SKU from that SKU's lines in order, never more than is left of a line; its green
 * points are the ledger's figure for the line (the single truth), spread over the lines it touches
 * by their per-unit points, and never more than a line still holds.
 */
export function planReversals(originals: OriginalRecord[], refund: RefundLines): Reversal[] {
  const left = (o: OriginalRecord) => o.quantity - o.reversedQuantity;
  const pointsLeft = (o: OriginalRecord) => o.greenPoints - o.reversedGreenPoints;
  if (refund.full) return originals.filter((o) => left(o) > 0).map((o) => reversalOf(o, left(o), pointsLeft(o)));
  const out: Reversal[] = [];
  const taken = new Map<string, number>();
  for (const line of refund.lines) {
    let quantity = line.quantity;
    let points = line.greenPoints;
    const candidates = originals.filter((o) => o.sku === line.sku && left(o) - (taken.get(o.id) ?? 0) > 0);
    candidates.forEach((o, i) => {
      if (quantity === 0) return;
      const available = left(o) - (taken.get(o.id) ?? 0);
      const chunk = Math.min(quantity, available);
      const last = i === candidates.length - 1 || chunk === quantity;
      const share = last ? points : Math.floor((o.greenPoints * chunk) / o.quantity);
      const chunkPoints = Math.max(0, Math.min(share, pointsLeft(o)));
      out.push(reversalOf(o, chunk, chunkPoints));
      taken.set(o.id, (taken.get(o.id) ?? 0) + chunk);
      quantity -= chunk;
      points -= chunkPoints;
    });
  }
  return mergeByOriginal(out);
}

/** Two refunded lines of one SKU may take from the same original line: one reversal per original. */
function mergeByOriginal(reversals: Reversal[]): Reversal[] {
  const merged = new Map<string, Reversal>();
  for (const r of reversals) {
    const seen = merged.get(r.original.id);
    merged.set(
      r.original.id,
      seen
        ? { ...seen, quantity: seen.quantity + r.quantity, co2eGrams: seen.co2eGrams + r.co2eGrams, waterLitres: seen.waterLitres + r.waterLitres, plasticGrams: seen.plasticGrams + r.plasticGrams, greenPoints: seen.greenPoints + r.greenPoints }
        : r,
    );
  }
  return [...merged.values()];
}
