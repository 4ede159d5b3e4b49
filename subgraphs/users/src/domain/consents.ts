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

/**
 * Whether the newest answer for `kind` is a grant given under a notice still accepted: a consent
 * answers the notice the person was shown, and a notice with new purposes must be agreed to again.
 */
export function hasGranted(
  historyNewestFirst: readonly { kind: string; id: number; granted: boolean; noticeVersion: string }[],
  kind: string,
  acceptedNotices: ReadonlySet<string>,
): boolean {
  const newest = historyNewestFirst.find((entry) => entry.kind === kind);
  return !!newest?.granted && acceptedNotices.has(newest.noticeVersion);
}
