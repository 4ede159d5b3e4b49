import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '@greenpoints/common';
import type { CostModel } from './costModel.ts';

/** What an operation would do once every fragment is expanded, computed without expanding any. */
export interface OperationStats {
  depth: number;
  aliases: number;
  directives: number;
  fields: number;
  cost: number;
}

export type Analysis = { ok: true; stats: OperationStats } | { ok: false; reason: string };

/** A list field with no `first` and no @listSize is assumed to hold this many items. */
const DEFAULT_LIST_SIZE = 10;
/**
 * Subgraphs refuse a page larger than this (common/src/connection.ts) with BAD_USER_INPUT, the
 * clearer answer, so the estimate never counts a bigger page.
 */
const MAX_PAGE = MAX_PAGE_SIZE;
const ZERO: OperationStats = { depth: 0, aliases: 0, directives: 0, fields: 0, cost: 0 };

/*
 * Types are inspected by shape, not with graphql's `isListType` & co.: those use `instanceof`, and
 * the runtime's schema may come from another copy of the graphql module (test runners load two).
 */
function isComposite(type: GraphQLNamedType | null | undefined): type is GraphQLCompositeType {
  return !!type && ('getFields' in type || 'getTypes' in type) && !('parseValue' in type);
}

/** `[Reward!]!` → { named: 'Reward', list: true }, from the type's printed form. */
function shapeOf(type: GraphQLOutputType): { named: string; list: boolean } {
  const printed = String(type).replace(/!$/, '');
  return { named: printed.replace(/[[\]!]/g, ''), list: printed.startsWith('[') };
}

interface Walk {
  schema: GraphQLSchema;
  costs: CostModel;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** The measured operation's variable defaults: a variable the request leaves out takes its default. */
  defaults: Map<string, ValueNode>;
  /** Set when a slicing argument came from a variable: the result then depends on the request. */
  readVariables: boolean;
  memo: Map<string, OperationStats>;
  visiting: Set<string>;
}

function combine(a: OperationStats, b: OperationStats): OperationStats {
  return {
    depth: Math.max(a.depth, b.depth),
    aliases: a.aliases + b.aliases,
    directives: a.directives + b.directives,
    fields: a.fields + b.fields,
    cost: a.cost + b.cost,
  };
}

function intValue(node: ValueNode | undefined, w: Walk): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    w.readVariables = true;
    const name = node.name.value;
    // Left out, a variable runs with its default (`query($n: Int = 100)` pages by 100).
    if (!Object.hasOwn(w.variables, name)) return intValue(w.defaults.get(name), w);
    const v = w.variables[name];
    return typeof v === 'number' ? v : undefined;
  }
  return undefined;
}

/**
 * Depth, aliases, directives, fields and estimated cost of a selection set. Each named fragment is
 * measured once and reused (memoised by name), so a document whose fragments double at every level
 * costs time linear in its length, not in its expansion; a fragment cycle is refused.
 */
function measure(w: Walk, set: SelectionSetNode, parent: GraphQLCompositeType | undefined): OperationStats | string {
  let total = ZERO;
  for (const sel of set.selections) {
    let part: OperationStats | string;
    if (sel.kind === Kind.FRAGMENT_SPREAD) {
      part = measureFragment(w, sel.name.value);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const cond = sel.typeCondition ? w.schema.getType(sel.typeCondition.name.value) : parent;
      part = measure(w, sel.selectionSet, isComposite(cond) ? cond : undefined);
    } else {
      part = measureField(w, sel, parent);
    }
    if (typeof part === 'string') return part;
    total = combine(total, { ...part, directives: part.directives + (sel.directives?.length ?? 0) });
  }
  return total;
}

function measureFragment(w: Walk, name: string): OperationStats | string {
  const known = w.memo.get(name);
  if (known) return known;
  const fragment = w.fragments.get(name);
  if (!fragment) return ZERO; // unknown fragment: validation reports it
  if (w.visiting.has(name)) return `fragment ${name} spreads itself`;
  w.visiting.add(name);
  const type = w.schema.getType(fragment.typeCondition.name.value);
  const stats = measure(w, fragment.selectionSet, isComposite(type) ? type : undefined);
  w.visiting.delete(name);
  if (typeof stats === 'string') return stats;
  const withOwn = { ...stats, directives: stats.directives + (fragment.directives?.length ?? 0) };
  w.memo.set(name, withOwn);
  return withOwn;
}

function measureField(w: Walk, field: FieldNode, parent: GraphQLCompositeType | undefined): OperationStats | string {
  const name = field.name.value;
  const own = { depth: 1, aliases: field.alias ? 1 : 0, directives: 0, fields: 1, cost: 0 };
  if (name.startsWith('__')) return measureIntrospection(w, field, own);
  const def = parent && 'getFields' in parent ? parent.getFields()[name] : undefined;
  const rule = parent ? w.costs.get(`${parent.name}.${name}`) : undefined;
  const shape = def ? shapeOf(def.type) : undefined;
  const named = shape ? w.schema.getType(shape.named) : undefined;
  const composite = isComposite(named) ? named : undefined;
  let weight = rule?.weight ?? (composite ? 1 : 0);
  if (!field.selectionSet) return { ...own, cost: weight };
  const child = measure(w, field.selectionSet, composite);
  if (typeof child === 'string') return child;
  const sliced = rule?.slicingArguments
    ?.map((arg) => intValue(field.arguments?.find((a) => a.name.value === arg)?.value, w))
    .find((n) => n !== undefined);
  const size = (sliced === undefined ? undefined : Math.min(sliced, MAX_PAGE)) ?? rule?.assumedSize ?? (shape?.list ? DEFAULT_LIST_SIZE : 1);
  // A connection multiplies what is under its edges; a list multiplies its items.
  const multiplier = Math.max(1, Math.min(size, 1_000_000));
  weight += multiplier * child.cost;
  return { depth: 1 + child.depth, aliases: own.aliases + child.aliases, directives: child.directives, fields: 1 + child.fields, cost: weight };
}

/** The types of the introspection fields a query may ask at its root. */
const META_FIELD_TYPES: Record<string, string> = { __schema: '__Schema', __type: '__Type' };

/**
 * Introspection answers from the schema alone, so it costs nothing and its nesting (ofType chains,
 * which graphql's own rule bounds) is no depth; but everything selected under it is counted like
 * any other selection: aliases of `types { … }` each repeat the whole schema in the answer.
 */
function measureIntrospection(w: Walk, field: FieldNode, own: OperationStats): OperationStats | string {
  if (!field.selectionSet) return own;
  const typeName = META_FIELD_TYPES[field.name.value];
  const type = typeName ? w.schema.getType(typeName) : undefined;
  const child = measure(w, field.selectionSet, isComposite(type) ? type : undefined);
  if (typeof child === 'string') return child;
  return { depth: 1, aliases: own.aliases + child.aliases, directives: child.directives, fields: 1 + child.fields, cost: 0 };
}

/**
 * Parsed documents are cached (and so reused) by the runtime: an analysis that read no variable
 * holds for every later request with the same document, per schema.
 */
const cache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Analysis>>();

export function analyzeOperation(
  schema: GraphQLSchema,
  costs: CostModel,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
): Analysis {
  const known = cache.get(schema)?.get(document);
  if (known) return known;
  const { analysis, readVariables } = analyze(schema, costs, document, variables);
  if (!readVariables) {
    const perSchema = cache.get(schema) ?? new WeakMap<DocumentNode, Analysis>();
    perSchema.set(document, analysis);
    cache.set(schema, perSchema);
  }
  return analysis;
}

function analyze(schema: GraphQLSchema, costs: CostModel, document: DocumentNode, variables: Record<string, unknown>): { analysis: Analysis; readVariables: boolean } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const w: Walk = { schema, costs, fragments, variables, defaults: new Map(), readVariables: false, memo: new Map(), visiting: new Set() };
  let worst = ZERO;
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const defaults = new Map<string, ValueNode>();
    for (const v of def.variableDefinitions ?? []) if (v.defaultValue) defaults.set(v.variable.name.value, v.defaultValue);
    // A fragment measured under one operation's defaults does not hold for another's.
    if (defaults.size > 0 || w.defaults.size > 0) w.memo = new Map();
    w.defaults = defaults;
    const root = schema.getRootType(def.operation);
    const stats = measure(w, def.selectionSet, root ?? undefined);
    if (typeof stats === 'string') return { analysis: { ok: false, reason: stats }, readVariables: w.readVariables };
    const withOwn = { ...stats, directives: stats.directives + (def.directives?.length ?? 0) };
    // Only one operation runs, but any may be chosen: the worst one decides.
    worst = { ...combine(worst, withOwn), aliases: Math.max(worst.aliases, withOwn.aliases), fields: Math.max(worst.fields, withOwn.fields), cost: Math.max(worst.cost, withOwn.cost), directives: Math.max(worst.directives, withOwn.directives) };
  }
  return { analysis: { ok: true, stats: worst }, readVariables: w.readVariables };
}
