/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query CatalogPage($first: Int!, $after: String, $filter: CatalogFilter) {\n  catalog(first: $first, after: $after, filter: $filter) {\n    edges {\n      node {\n        id\n        title\n        kind\n        pointsCost\n        currentPointsCost\n        inStock\n        validFrom\n        validUntil\n        terms\n        merchant {\n          id\n          name\n          category\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.CatalogPageDocument,
    "query MemberBalance($userId: ID!) {\n  user(id: $userId) {\n    id\n    displayName\n    partnerBalance {\n      points\n      pendingPoints\n      greenPoints\n    }\n  }\n}": typeof types.MemberBalanceDocument,
    "query MerchantsPage($first: Int!, $after: String) {\n  merchants(first: $first, after: $after) {\n    edges {\n      node {\n        id\n        name\n        category\n        status\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.MerchantsPageDocument,
};
const documents: Documents = {
    "query CatalogPage($first: Int!, $after: String, $filter: CatalogFilter) {\n  catalog(first: $first, after: $after, filter: $filter) {\n    edges {\n      node {\n        id\n        title\n        kind\n        pointsCost\n        currentPointsCost\n        inStock\n        validFrom\n        validUntil\n        terms\n        merchant {\n          id\n          name\n          category\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.CatalogPageDocument,
    "query MemberBalance($userId: ID!) {\n  user(id: $userId) {\n    id\n    displayName\n    partnerBalance {\n      points\n      pendingPoints\n      greenPoints\n    }\n  }\n}": types.MemberBalanceDocument,
    "query MerchantsPage($first: Int!, $after: String) {\n  merchants(first: $first, after: $after) {\n    edges {\n      node {\n        id\n        name\n        category\n        status\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.MerchantsPageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CatalogPage($first: Int!, $after: String, $filter: CatalogFilter) {\n  catalog(first: $first, after: $after, filter: $filter) {\n    edges {\n      node {\n        id\n        title\n        kind\n        pointsCost\n        currentPointsCost\n        inStock\n        validFrom\n        validUntil\n        terms\n        merchant {\n          id\n          name\n          category\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query CatalogPage($first: Int!, $after: String, $filter: CatalogFilter) {\n  catalog(first: $first, after: $after, filter: $filter) {\n    edges {\n      node {\n        id\n        title\n        kind\n        pointsCost\n        currentPointsCost\n        inStock\n        validFrom\n        validUntil\n        terms\n        merchant {\n          id\n          name\n          category\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MemberBalance($userId: ID!) {\n  user(id: $userId) {\n    id\n    displayName\n    partnerBalance {\n      points\n      pendingPoints\n      greenPoints\n    }\n  }\n}"): (typeof documents)["query MemberBalance($userId: ID!) {\n  user(id: $userId) {\n    id\n    displayName\n    partnerBalance {\n      points\n      pendingPoints\n      greenPoints\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MerchantsPage($first: Int!, $after: String) {\n  merchants(first: $first, after: $after) {\n    edges {\n      node {\n        id\n        name\n        category\n        status\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query MerchantsPage($first: Int!, $after: String) {\n  merchants(first: $first, after: $after) {\n    edges {\n      node {\n        id\n        name\n        category\n        status\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;