import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { ValidateUserFn } from '@envelop/generic-auth';
import type { Principal } from '@greenpoints/common';
import { BREAK, GraphQLError, Kind, visit, type DocumentNode, type ExecutionResult, type FieldNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { principalOf } from './useJwtPrincipal.ts';

/**
 * Glue around Hive's generic auth (`genericAuth` in server.ts), which reads @authenticated,
 * @requiresScopes and @policy from the supergraph and drops fields the principal may not see
 * before anything is fetched. Two things it does not do the way a client expects are done here:
 *
 * - Its errors carry the field's place in the document in `authPath` instead of `path`, so that
 *   generic auth leaves the data alone; `fillForbidden` then puts `null` only where the parent
 *   object really exists (generic auth would invent `{}` parents under a null) and gives one error,
 *   with the concrete path, per null it put. Fields behind a rule are nullable in the SDL
 *   (test/e2e/authorization.e2e.ts checks it), so such a null is always legal.
 * - Generic auth also drops a field whose every child was forbidden, which loses the parent (a
 *   visible `user` whose requested fields are all personal would vanish from the answer). So the
 *   forbidden fields it reports are recorded here, and the document is pruned again from the
 *   original: an emptied selection set gets a `__typename` placeholder (removed from the answer
 *   again) instead of losing its parent.
 */
const PLACEHOLDER = 'gpAuthPlaceholder';
const MAX_AUTH_ERRORS = 100;

const satisfies = (groups: string[][] | undefined, held: string[]) => !groups || groups.some((all) => all.every((s) => held.includes(s)));

/** Per execution: the document as the client sent it and the field nodes generic auth refused. */
const refused = new WeakMap<object, { original: DocumentNode; fields: Set<FieldNode> }>();
/** Requests whose document was rewritten here: only their results need patching (most need none). */
const rewritten = new WeakSet<Request>();

/** Generic auth's validateUser: authenticated, then scopes (OR of AND-groups), then policies. */
export const validateUser: ValidateUserFn<Principal> = (p) => {
  const required = p.fieldAuthArgs || p.typeAuthArgs || p.fieldScopes || p.typeScopes || p.fieldPolicies || p.typePolicies;
  if (!required) return undefined;
  const ok = !!p.user && satisfies(p.fieldScopes, p.userScopes) && satisfies(p.typeScopes, p.userScopes) && satisfies(p.fieldPolicies, p.userPolicies) && satisfies(p.typePolicies, p.userPolicies);
  if (ok) return undefined;
  const key = p.executionArgs.contextValue as object;
  const record = refused.get(key) ?? { original: p.executionArgs.document, fields: new Set<FieldNode>() };
  record.fields.add(p.fieldNode);
  refused.set(key, record);
  const code = p.user ? 'FORBIDDEN' : 'UNAUTHENTICATED';
  const field = `${p.parentType.name}.${p.field.name}`;
  const message = p.user ? `You may not read ${field}` : `Sign in to read ${field}`;
  return new GraphQLError(message, { extensions: { code, field, authPath: [...p.path] } });
};

function withPlaceholders(set: SelectionSetNode): SelectionSetNode {
  if (set.selections.length > 0) return set;
  return { ...set, selections: [{ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: PLACEHOLDER }, name: { kind: Kind.NAME, value: '__typename' } }] };
}

type Json = Record<string, unknown>;

/** Sets `null` at every concrete position of a document path ('@' marks a list); returns those positions. */
function fillForbidden(data: unknown, path: readonly (string | number)[], at: (string | number)[] = []): (string | number)[][] {
  if (data === null || typeof data !== 'object') return [];
  const [head, ...rest] = path;
  if (head === undefined) return [];
  if (head === '@' || Array.isArray(data)) {
    if (!Array.isArray(data)) return [];
    const next = head === '@' ? rest : path;
    return data.flatMap((item, i) => fillForbidden(item, next, [...at, i]));
  }
  const obj = data as Json;
  if (rest.length === 0) {
    obj[head] = null;
    return [[...at, head]];
  }
  return fillForbidden(obj[head], rest, [...at, head]);
}

function stripPlaceholders(value: unknown): void {
  if (Array.isArray(value)) value.forEach(stripPlaceholders);
  else if (value && typeof value === 'object') {
    delete (value as Json)[PLACEHOLDER];
    Object.values(value).forEach(stripPlaceholders);
  }
}

function finish(result: ExecutionResult): ExecutionResult {
  const errors: GraphQLError[] = [];
  for (const e of result.errors ?? []) {
    const authPath = e.extensions?.['authPath'] as (string | number)[] | undefined;
    if (!authPath) {
      errors.push(e as GraphQLError);
      continue;
    }
    const { authPath: _p, ...extensions } = e.extensions;
    // No concrete place means the parent was null: nothing was withheld, so nothing to report.
    for (const path of fillForbidden(result.data, authPath).slice(0, MAX_AUTH_ERRORS)) errors.push(new GraphQLError(e.message, { path, extensions }));
  }
  if (result.data) stripPlaceholders(result.data);
  const { errors: _old, ...rest } = result;
  return errors.length ? { ...rest, errors } : rest;
}

/** True when the document has @skip or @include: then which fields run, and so the verdict, depends on variables. */
const conditionalDocs = new WeakMap<DocumentNode, boolean>();
function isConditional(document: DocumentNode): boolean {
  let found = conditionalDocs.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Directive: (node) => {
        if (node.name.value !== 'skip' && node.name.value !== 'include') return undefined;
        found = true;
        return BREAK;
      },
    });
    conditionalDocs.set(document, found);
  }
  return found;
}

/** The extended-validation state generic auth keeps on the context (a private symbol of that package). */
function authCheckState(context: object): { didRun: boolean } | undefined {
  const key = Object.getOwnPropertySymbols(context).find((s) => s.description === 'extendedValidationContext');
  const state = key ? (context as Record<symbol, unknown>)[key] : undefined;
  return state && typeof state === 'object' && 'didRun' in state && Array.isArray((state as { rules?: unknown }).rules) ? (state as { didRun: boolean }) : undefined;
}

export function useFieldAuthorization(): GatewayPlugin {
  /** Each request's document as parsed (and cached by the runtime) with its schema, before generic auth copies it. */
  const parsed = new WeakMap<Request, { document: DocumentNode; schema: GraphQLSchema }>();
  /**
   * Per schema and parsed document, the roles for which generic auth refused nothing. Its verdict
   * depends only on the document, the schema's rules and the role (scopes come from the role alone;
   * no @policy), unless @skip/@include make it depend on variables: those documents are never
   * remembered. A remembered pair skips the check; anything else runs it.
   */
  const clean = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Set<string>>>();
  const cleanFor = (schema: GraphQLSchema, document: DocumentNode) => clean.get(schema)?.get(document);
  /** Requests whose check was skipped as already known to pass. */
  const skipped = new WeakSet<Request>();
  return {
    onValidate({ params, context }) {
      const request = (context as { request?: Request }).request;
      if (request) parsed.set(request, { document: params.documentAST, schema: params.schema });
    },
    onContextBuilding({ context }) {
      // After generic auth set up its check on this context (its plugin is registered first).
      const request = (context as { request?: Request }).request;
      const seen = request && parsed.get(request);
      if (!seen || !cleanFor(seen.schema, seen.document)?.has(principalOf(request).role)) return;
      const state = authCheckState(context);
      if (state && !state.didRun) {
        state.didRun = true;
        skipped.add(request);
      }
    },
    onExecute({ args }) {
      // Runs after generic auth (its plugin is registered first), replacing its pruned document.
      const request = (args.contextValue as { request?: Request }).request;
      const record = refused.get(args.contextValue as object);
      if (!record) {
        // Nothing refused: generic auth still hands on a fresh copy of the document, which would
        // miss the query planner's cache (keyed by the document object) and re-plan every request.
        // The copy equals the parsed document (a valid document has no empty selection nor unused
        // fragment for it to remove), so the parsed one goes on, and its cached plan with it.
        const seen = request && parsed.get(request);
        if (!seen) return;
        args.document = seen.document;
        if (!skipped.has(request) && !isConditional(seen.document)) {
          const byDocument = clean.get(seen.schema) ?? new WeakMap<DocumentNode, Set<string>>();
          clean.set(seen.schema, byDocument);
          const roles = byDocument.get(seen.document) ?? new Set<string>();
          byDocument.set(seen.document, roles.add(principalOf(request).role));
        }
        return;
      }
      if (request) rewritten.add(request);
      args.document = visit(record.original, {
        Field: { enter: (node) => (record.fields.has(node) ? null : undefined) },
        SelectionSet: { leave: withPlaceholders },
      });
    },
    onResultProcess({ request, result, setResult }) {
      if (!rewritten.has(request) || Array.isArray(result) || Symbol.asyncIterator in (result as object)) return;
      setResult(finish(result as ExecutionResult));
    },
  };
}
