import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for partners, generated from the partner contract alone: an operation that asks
 * for anything outside the contract fails here, at build time, as it would at the gateway.
 */
const config: CodegenConfig = {
  schema: '../schema/contracts/partner.graphql',
  documents: ['src/operations/*.graphql'],
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        // ESM imports with explicit extensions, as the rest of the repo writes them.
        emitLegacyCommonJSImports: false,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false },
        scalars: { DateTime: 'string', SafeInt: 'number' },
      },
    },
  },
};
export default config;
