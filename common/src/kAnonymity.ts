import { z } from 'zod';

/**
 * k-anonymity for the analysts' aggregates (the ledger's and green-impact's `Analytics`): a figure
 * summed over fewer than k distinct people is a figure about each of them, so it is suppressed.
 *
 * Suppressing the small groups alone is not enough, because published figures add up: a breakdown's
 * total minus the groups shown is the hidden groups' sum. So every rule here keeps this invariant:
 * whatever sum of hidden groups can be derived from what is shown (the total, a parent's figure,
 * the other groups) covers at least one group of k people or more. Distinct people do not add up
 * across groups, so the rules never sum small groups' sizes to reach k: they hide one large group
 * with them instead (complementary suppression).
 */

/** The default minimum number of distinct people behind a published analytics figure. */
export const DEFAULT_ANALYTICS_MIN_GROUP_SIZE = 5;

/** `ANALYTICS_MIN_GROUP_SIZE`, read by the ledger, green-impact and the one-process stack. */
export const analyticsMinGroupSizeSchema = z.coerce.number().int().min(2).max(10_000).default(DEFAULT_ANALYTICS_MIN_GROUP_SIZE);

/** The smallest group of at least k people among `candidates`, ties broken by key (deterministic). */
function smallestLarge(candidates: Iterable<[string, number]>, k: number): string | undefined {
  let best: [string, number] | undefined;
  for (const [key, size] of candidates) {
    if (size < k) continue;
    if (!best || size < best[1] || (size === best[1] && key < best[0])) best = [key, size];
  }
  return best?.[0];
}

const holdsLargeGroup = (hidden: Iterable<string>, sizes: ReadonlyMap<string, number>, k: number) =>
  [...hidden].some((key) => (sizes.get(key) ?? 0) >= k);

/**
 * Which groups of one breakdown (a partition of the people behind a known total) are suppressed:
 * those under k (and any `forced` by a linked figure), and, when they hold no group of k people, the
 * smallest group of k people or more with them, so the total minus the shown groups reveals no one.
 */
export function suppressPartition(sizes: ReadonlyMap<string, number>, k: number, forced: Iterable<string> = []): Set<string> {
  const hidden = new Set([...sizes].filter(([, n]) => n < k).map(([key]) => key));
  for (const key of forced) if (sizes.has(key)) hidden.add(key);
  if (hidden.size > 0 && !holdsLargeGroup(hidden, sizes, k)) {
    const extra = smallestLarge([...sizes].filter(([key]) => !hidden.has(key)), k);
    if (extra !== undefined) hidden.add(extra);
  }
  return hidden;
}

export interface NestedGroups {
  /** Child groups (merchants) with their size and their parent (the merchant's category). */
  children: ReadonlyMap<string, { size: number; parent: string }>;
  /** Parent groups (categories) with their own size: distinct people, not the sum of the children's. */
  parents: ReadonlyMap<string, number>;
}

/**
 * Suppression for two breakdowns of one total where each child lies in one parent (merchants in
 * categories). Besides the total, a shown parent minus its shown children reveals its hidden
 * children, and the total minus the shown parents, less the shown children of the hidden parents,
 * reveals the hidden parents' hidden children. Each such remainder must hold a child of k people or
 * more: one is hidden with them, or, where a parent has none to give, the parent is hidden too.
 */
export function suppressNested(groups: NestedGroups, k: number): { children: Set<string>; parents: Set<string> } {
  const childSizes = new Map([...groups.children].map(([key, c]) => [key, c.size]));
  const hiddenChildren = new Set([...groups.children].filter(([, c]) => c.size < k).map(([key]) => key));
  const hiddenParents = new Set([...groups.parents].filter(([, n]) => n < k).map(([key]) => key));
  const childrenOf = (parent: string) => [...groups.children].filter(([, c]) => c.parent === parent).map(([key]) => key);
  const visibleLarge = (parent: string) => smallestLarge(childrenOf(parent).filter((c) => !hiddenChildren.has(c)).map((c) => [c, childSizes.get(c)!]), k);

  // Each step hides one more group, so this ends after at most (children + parents) rounds.
  for (let changed = true; changed; ) {
    changed = false;
    for (const parent of groups.parents.keys()) {
      if (hiddenParents.has(parent)) continue;
      const hidden = childrenOf(parent).filter((c) => hiddenChildren.has(c));
      if (hidden.length === 0 || holdsLargeGroup(hidden, childSizes, k)) continue;
      const extra = visibleLarge(parent);
      if (extra !== undefined) hiddenChildren.add(extra);
      else hiddenParents.add(parent);
      changed = true;
    }
    const underHiddenParents = [...hiddenParents].flatMap(childrenOf).filter((c) => hiddenChildren.has(c));
    if (hiddenParents.size > 0 && !holdsLargeGroup(underHiddenParents, childSizes, k)) {
      // Hide the smallest shown parent that can give a large child, and that child with it.
      const candidates = [...groups.parents.keys()].filter((p) => !hiddenParents.has(p) && visibleLarge(p) !== undefined);
      const parent = smallestLarge(candidates.map((p) => [p, groups.parents.get(p)!]), 0);
      if (parent !== undefined) {
        hiddenParents.add(parent);
        hiddenChildren.add(visibleLarge(parent)!);
        changed = true;
      }
    }
  }
  return { children: hiddenChildren, parents: hiddenParents };
}

/**
 * Whether two crossing breakdowns (merchants and months) are linked only through their common
 * total. When the groups split into islands (some merchants active only in months no one else was
 * active in), an island's sum is known from both sides, and a hidden merchant could be recovered
 * from the months; callers then hide one of the breakdowns.
 */
export function crossingIsConnected(cells: Iterable<readonly [string, string]>): boolean {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const [a, b] of cells) {
    for (const node of [`a:${a}`, `b:${b}`]) if (!parent.has(node)) parent.set(node, node);
    parent.set(find(`a:${a}`), find(`b:${b}`));
  }
  return new Set([...parent.keys()].map(find)).size <= 1;
}
