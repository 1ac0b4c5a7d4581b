import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        defaultScalarType: 'unknown',
        scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>', ID: 'string' },
        avoidOptionals: { field: true, inputValue: false },
        nonOptionalTypename: false,
        skipTypeNameForRoot: true,
      },
    },
  },
};

export default config;
