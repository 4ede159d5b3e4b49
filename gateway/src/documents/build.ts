/**
 * Builds the trusted-documents manifest: every `.graphql` file under gateway/documents/<app>/ is
 * validated against the public API schema and stored under the SHA-256 of its text. Clients send
 * `{"documentId": "<id>"}` (or Apollo's `extensions.persistedQuery.sha256Hash`) instead of a query.
 * `--check` fails when the committed manifest is stale or a document no longer validates (CI).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { documentId } from './manifest.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const documentsDir = join(root, 'documents');
const manifestPath = join(root, 'persisted-documents.json');
const apiSchema = fileURLToPath(new URL('../../../schema/api.graphql', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.graphql') ? [join(dir, e.name)] : [],
  );
}

export function buildManifest(): { text: string; problems: string[] } {
  const schema = buildSchema(readFileSync(apiSchema, 'utf8'));
  const documents: Record<string, string> = {};
  const index: Record<string, string> = {};
  const problems: string[] = [];
  for (const file of files(documentsDir).sort()) {
    const text = readFileSync(file, 'utf8').trim();
    const name = relative(documentsDir, file);
    const errors = validate(schema, parse(text));
    for (const e of errors) problems.push(`${name}: ${e.message}`);
    documents[documentId(text)] = text;
    index[name] = documentId(text);
  }
  return { text: `${JSON.stringify({ generatedBy: 'npm run documents', files: index, documents }, null, 2)}\n`, problems };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { text, problems } = buildManifest();
  if (problems.length > 0) {
    for (const p of problems) console.error(`  ${p}`);
    console.error(`trusted documents: ${problems.length} document(s) do not validate against schema/api.graphql`);
    process.exit(1);
  }
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(manifestPath, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      console.error('gateway/persisted-documents.json is stale: run `npm run documents` and commit it');
      process.exit(1);
    }
    console.log('trusted documents: manifest is current');
  } else {
    writeFileSync(manifestPath, text);
    console.log(`trusted documents: wrote ${relative(process.cwd(), manifestPath)}`);
  }
}
