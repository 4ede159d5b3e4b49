import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';

/** A trusted document's id: the SHA-256 of its exact text, as Apollo's and Relay's clients compute it. */
export const documentId = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The manifest maps document ids to document text (`npm run documents -w gateway` writes it). */
export function loadManifest(path: string): Map<string, string> {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { documents?: Record<string, string> };
  return new Map(Object.entries(parsed.documents ?? {}));
}

/** The names of the operations in the manifest's documents (metrics label requests by them). */
export function operationNames(manifest: Map<string, string>): string[] {
  const names = new Set<string>();
  for (const text of manifest.values()) {
    for (const definition of parse(text).definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.add(definition.name.value);
    }
  }
  return [...names].sort();
}
