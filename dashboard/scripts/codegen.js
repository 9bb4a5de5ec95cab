#!/usr/bin/env node
'use strict';
/**
 * Types for the dashboard's operations (dashboard/src/queries/*.graphql), generated from the emitted
 * schema with GraphQL Code Generator's core and plugins. The operations are validated against the
 * schema first, so a schema change that breaks the dashboard fails the build here, naming the file
 * and line. (Code Generator's CLI is not used: its loaders want Node ≥ 22.)
 * The output is rewritten only when it changes, so an unchanged build leaves nothing newer behind.
 */
const fs = require('node:fs');
const path = require('node:path');
const { codegen } = require('@graphql-codegen/core');
const typedDocumentNode = require('@graphql-codegen/typed-document-node');
const typescriptOperations = require('@graphql-codegen/typescript-operations');
const { buildSchema, concatAST, parse, printSchema, validate } = require('graphql');

const ROOT = path.resolve(__dirname, '..', '..');
/** The keys' first parts (METRICS.md): the tables, and table 四's groups, which carry no table prefix. */
const METRIC_KEY_PREFIXES = ['proactive', 'applications', 'channels', 'review', 'litigation_direct', 'litigation_after_review'];
const METRIC_KEY_TYPE = METRIC_KEY_PREFIXES.map((p) => `\`${p}.\${string}\``).join(' | ');
const SCHEMA = path.join(ROOT, 'schema', 'schema.graphql');
const QUERIES = path.join(ROOT, 'dashboard', 'src', 'queries');
const OUTPUT = path.join(ROOT, 'dashboard', 'src', 'generated', 'graphql.ts');

async function main() {
  const schema = buildSchema(fs.readFileSync(SCHEMA, 'utf8'));
  const files = fs.readdirSync(QUERIES).filter((f) => f.endsWith('.graphql')).sort();
  const documents = files.map((file) => {
    const location = path.join(QUERIES, file);
    return { location, document: parse(fs.readFileSync(location, 'utf8')) };
  });
  // All files at once: an operation may use a fragment defined in another file.
  const errors = validate(schema, concatAST(documents.map((d) => d.document)));
  if (errors.length > 0) {
    for (const error of errors) {
      const where = error.locations?.[0];
      const source = error.source?.name && error.source.name !== 'GraphQL request' ? error.source.name : 'dashboard/src/queries';
      console.error(`${source}${where ? `:${where.line}:${where.column}` : ''}: ${error.message}`);
    }
    console.error(`dashboard operations do not match schema/schema.graphql (${errors.length} error(s))`);
    process.exit(1);
  }
  const output = await codegen({
    schema: parse(printSchema(schema)),
    schemaAst: schema,
    documents,
    filename: OUTPUT,
    plugins: [{ 'typescript-operations': {} }, { 'typed-document-node': {} }],
    pluginMap: { 'typescript-operations': typescriptOperations, 'typed-document-node': typedDocumentNode },
    config: {
      documentMode: 'string',
      enumsAsTypes: true,
      avoidOptionals: false,
      useTypeImports: true,
      skipTypename: true,
      scalars: {
        DateTimeISO: 'string',
        // A metric key by its shape (src/metrics/metric-key.ts): a string that is not one fails to type-check.
        MetricKey: METRIC_KEY_TYPE,
        JSON: 'unknown',
      },
    },
  });
  const previous = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : null;
  if (previous !== output) {
    fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
    fs.writeFileSync(OUTPUT, output);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
