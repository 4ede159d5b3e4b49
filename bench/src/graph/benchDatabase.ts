/**
 * The bench's database, one per seed size (`gp_bench_<users>`), seeded once and reused: seeding
 * 200,000 users takes a while. A database counts as seeded only once its comment says so (written
 * last), so an interrupted seed is redone; BENCH_RESEED=1 redoes it anyway.
 */
import { DEV_PII_KEY } from '@greenpoints/common';
import { connect, migrate } from '@greenpoints/db';
import { sealOperations } from '@greenpoints/ledger/operations/operationLog';
import { seed } from '@greenpoints/stack';
import postgres from 'postgres';

const MARKER = 'greenpoints bench seed:';
/** Seed entries sealed per transaction: each holds a batch of 10,000 purchases' postings. */
const SEAL_BATCH = 4;

export interface BenchDatabase {
  name: string;
  url: string;
  /** What the comment says: how it was seeded, and how long that took. */
  note: string;
  seededNow: boolean;
}

function urlOf(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function seedInto(url: string, users: number, log: (line: string) => void): Promise<string> {
  const handle = await connect({ databaseUrl: url, poolMax: 8 });
  try {
    await migrate(handle);
    const started = Date.now();
    const expected = users * 8;
    let shown = 0;
    const result = await seed(handle.db, {
      piiKey: DEV_PII_KEY,
      users,
      onProgress: ({ phase, done }) => {
        const share = phase === 'people' ? 0 : phase === 'ledger' ? Math.min(0.99, done / expected) : 1;
        if (share >= shown + 0.1 || phase !== 'ledger') {
          shown = Math.floor(share * 10) / 10;
          log(`  seeding: ${phase} ${done.toLocaleString('en')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
        }
      },
    });
    const seconds = (Date.now() - started) / 1000;
    // Seal the seed's log entries now, a few at a time, rather than in the ledger's process mid-run.
    while ((await sealOperations(handle.db, SEAL_BATCH)) > 0);
    return `${result.users} users, ${result.purchases} purchases, seeded ${new Date().toISOString()} in ${seconds.toFixed(0)} s (node ${process.version})`;
  } catch (error) {
    // A failed bulk statement carries all its parameters in its message: say what failed, briefly.
    const cause = (error as { cause?: { message?: string; detail?: string } }).cause;
    throw new Error(`seeding failed: ${cause?.message ?? (error as Error).message.slice(0, 300)}${cause?.detail ? ` (${cause.detail})` : ''}`);
  } finally {
    await handle.close();
  }
}

/**
 * VACUUM (ANALYZE) before measuring. Production PostgreSQL runs autovacuum; this machine's has it
 * off, so nothing ever cleared the dead rows a seed and earlier runs leave (every outbox row marked
 * published, every balance updated): at 200,000 users the relay's poll of the ledger's outbox took
 * 116 ms walking 1.6 million dead index entries, and the bench measured that rather than the data.
 */
async function vacuum(url: string, name: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe('VACUUM (ANALYZE)');
  } finally {
    await sql.end();
  }
  log(`${name}: VACUUM (ANALYZE) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

export async function benchDatabase(adminUrl: string, users: number, reseed: boolean, log: (line: string) => void): Promise<BenchDatabase> {
  const name = `gp_bench_${users}`;
  const url = urlOf(adminUrl, name);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin<{ note: string | null }[]>`SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = ${name}`;
    const note = row?.note ?? '';
    if (note.startsWith(MARKER) && !reseed) {
      // New migrations since it was seeded, and fresh statistics.
      const handle = await connect({ databaseUrl: url, poolMax: 2 });
      await migrate(handle).finally(() => handle.close());
      await vacuum(url, name, log);
      return { name, url, note: note.slice(MARKER.length).trim(), seededNow: false };
    }
    log(`${name}: ${row ? 'reseeding' : 'creating'} with ${users.toLocaleString('en')} users`);
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const seeded = await seedInto(url, users, log);
    await admin.unsafe(`COMMENT ON DATABASE ${name} IS '${MARKER} ${seeded.replaceAll("'", '')}'`);
    await vacuum(url, name, log);
    return { name, url, note: seeded, seededNow: true };
  } finally {
    await admin.end();
  }
}
