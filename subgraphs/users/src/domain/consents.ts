/** The user's current answer for each kind they have answered: the newest entry of each. */
export function currentConsents<T extends { kind: string; id: number }>(historyNewestFirst: readonly T[]): T[] {
  const seen = new Set<string>();
  const current: T[] = [];
  for (const entry of historyNewestFirst) {
    if (seen.has(entry.kind)) continue;
    seen.add(entry.kind);
    current.push(entry);
  }
  return current.sort((a, b) => a.kind.localeCompare(b.kind));
}

export function hasGranted(historyNewestFirst: readonly { kind: string; id: number; granted: boolean }[], kind: string): boolean {
  return historyNewestFirst.find((entry) => entry.kind === kind)?.granted ?? false;
}
