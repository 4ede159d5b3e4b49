/** Caps an order's green points: lines keep their points in order until the cap is used up. */
export function capGreenPoints<L extends { greenPoints: number }>(lines: L[], cap: number): { lines: L[]; greenPoints: number } {
  let left = Math.max(0, cap);
  const capped = lines.map((line) => {
    const greenPoints = Math.min(line.greenPoints, left);
    left -= greenPoints;
    return { ...line, greenPoints };
  });
  return { lines: capped, greenPoints: capped.reduce((s, l) => s + l.greenPoints, 0) };
}
