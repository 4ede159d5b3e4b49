import { buildSchema, findBreakingChanges, type BreakingChange } from 'graphql';

/**
 * What would break a partner who built against the released contract: removed or retyped fields,
 * removed types or enum values, new required arguments or input fields, and the rest of graphql's
 * own list of breaking changes. Additions are never breaking.
 */
export function contractBreaks(releasedSdl: string, currentSdl: string): BreakingChange[] {
  return findBreakingChanges(buildSchema(releasedSdl), buildSchema(currentSdl));
}

export function formatBreaks(breaks: readonly BreakingChange[]): string {
  return breaks.map((b) => `  ${b.type.padEnd(34)} ${b.description}`).join('\n');
}
