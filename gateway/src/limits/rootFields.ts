import { getOperationAST, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** Introspection the gateway answers from a schema (`__typename` is answered by every type). */
const META_FIELDS = new Set(['__schema', '__type']);

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
}

/**
 * The field names an operation selects at its root, through fragment spreads and inline fragments:
 * `{ __typename ...F } fragment F on Query { __schema { … } }` selects `__schema` at the root as
 * surely as `{ __schema { … } }` does. Each fragment is entered once (a cycle is validation's to
 * report).
 */
function rootFieldNames(fragments: ReadonlyMap<string, FragmentDefinitionNode>, operation: OperationDefinitionNode): Set<string> {
  const names = new Set<string>();
  const entered = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) names.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!entered.has(s.name.value)) {
        entered.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return names;
}

/** True when the operation that runs asks introspection only (`__schema`, `__type`, `__typename`). */
export function isIntrospectionOnly(document: DocumentNode, operationName?: string | null): boolean {
  const operation = getOperationAST(document, operationName);
  return !!operation && [...rootFieldNames(fragmentsOf(document), operation)].every((name) => name.startsWith('__'));
}

/** The first operation that asks `__schema` or `__type` beside data fields, if any. */
export function mixedIntrospection(document: DocumentNode): OperationDefinitionNode | undefined {
  const fragments = fragmentsOf(document);
  return document.definitions.find((d): d is OperationDefinitionNode => {
    if (d.kind !== Kind.OPERATION_DEFINITION) return false;
    const names = [...rootFieldNames(fragments, d)];
    return names.some((n) => META_FIELDS.has(n)) && names.some((n) => !n.startsWith('__'));
  });
}
