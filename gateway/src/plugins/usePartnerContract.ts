import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { buildSchema, execute, GraphQLError, Kind, validate, type ASTNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { isIntrospectionOnly } from '../limits/rootFields.ts';
import { principalOf } from './useJwtPrincipal.ts';

interface Refusal {
  message: string;
  nodes: readonly ASTNode[] | null;
}

/**
 * Partners get the `@tag(name: "partner")` contract as their graph. A partner's document is
 * validated against the contract schema, so anything outside it fails exactly as a field that does
 * not exist would; and a partner's introspection is answered from the contract, so it shows
 * nothing else. One gateway serves every contract, chosen per request by the principal.
 */
export function usePartnerContract(contractSdl: string): GatewayPlugin {
  const contract: GraphQLSchema = buildSchema(contractSdl, { assumeValidSDL: true });
  /**
   * The contract's verdict per parsed document (the parser cache hands back the same object for the
   * same text): a partner's sync asks one document over and over, and validating it again against
   * the contract was an eighth of the gateway's CPU for a partner request.
   */
  const verdicts = new WeakMap<DocumentNode, Refusal | null>();
  const judge = (document: DocumentNode): Refusal | null => {
    // graphql's validation has no rule for a root type the schema lacks (the contract has no Mutation).
    const missingRoot = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && !contract.getRootType(d.operation));
    if (missingRoot) return { message: `The partner contract has no ${missingRoot.operation} operations`, nodes: null };
    const first = validate(contract, document)[0];
    return first ? { message: first.message, nodes: first.nodes ?? null } : null;
  };
  return {
    onValidate({ params, context }) {
      if (principalOf((context as { request?: Request }).request).role !== 'partner') return;
      const document: DocumentNode = params.documentAST;
      let verdict = verdicts.get(document);
      if (verdict === undefined) verdicts.set(document, (verdict = judge(document)));
      // Thrown, not set as the result: Yoga caches validation results by document, not by caller.
      if (verdict) throw new GraphQLError(verdict.message, { nodes: verdict.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
    },
    onExecute({ args, setExecuteFn }) {
      if (principalOf((args.contextValue as { request?: Request }).request).role !== 'partner') return;
      // The operation that runs, its fragments followed: introspection spread in from a fragment is
      // answered from the contract too.
      if (isIntrospectionOnly(args.document, args.operationName)) setExecuteFn((a) => execute({ ...a, schema: contract }));
    },
  };
}
