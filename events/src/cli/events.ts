// `npm run events -- status | dead-letters [--limit N] | replay --consumer NAME [--from POSITION] [--stream S] | prune`
import { connect } from '@greenpoints/db';
import { loadEventsConfig } from '../config.ts';
import { STREAMS, type StreamName } from '../contracts/index.ts';
import { natsStatus } from '../ops/natsStatus.ts';
import { prune } from '../ops/prune.ts';
import { replay } from '../ops/replay.ts';
import { consumerStatus, listDeadLetters, streamStatus } from '../ops/status.ts';
import { CONSUMER_NAMES, isConsumerName } from '../subscriptions.ts';

const USAGE = `usage: npm run events -- <command>
  status                                         lag per consumer, retries, dead letters, unpublished events
                                                 (and, with NATS_URL, what each durable consumer has yet to take)
  dead-letters [--limit N]                       events given up on, with the reason (N ≤ 1000, default 50)
  replay --consumer NAME [--from POSITION] [--stream STREAM]
                                                 deliver a consumer's events again from an outbox position
  prune                                          delete published/applied events past EVENTS_RETENTION_HOURS
consumers: ${CONSUMER_NAMES.join(', ')}; streams: ${STREAMS.join(', ')}`;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function intFlag(args: string[], name: string, fallback: number, max: number): number {
  const raw = flag(args, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0 || n > max) fail(`--${name} must be a whole number from 0 to ${max}`);
  return n;
}

const [command, ...args] = process.argv.slice(2);
if (!command || command === 'help' || command === '--help') fail('');
const config = loadEventsConfig();
const handle = await connect(config.db);
try {
  if (command === 'status') {
    console.log('streams');
    console.table(await streamStatus(handle.db));
    console.log('consumers');
    console.table((await consumerStatus(handle.db)).map((c) => ({ ...c, appliedUpTo: JSON.stringify(c.appliedUpTo) })));
    const natsUrl = config.delivery.natsUrl;
    if (natsUrl) {
      console.log('JetStream durable consumers (-1: not created yet)');
      console.table(await natsStatus({ ...config.delivery, natsUrl }));
    }
  } else if (command === 'dead-letters') {
    const rows = await listDeadLetters(handle.db, intFlag(args, 'limit', 50, 1_000));
    if (rows.length === 0) console.log('no dead letters');
    for (const d of rows) {
      console.log(`${d.deadAt.toISOString()}  ${d.consumer}  ${d.stream}#${d.position}  ${d.type}  ${d.eventId}  attempts=${d.attempts}\n  reason: ${d.reason}`);
    }
  } else if (command === 'replay') {
    const consumer = flag(args, 'consumer') ?? fail('replay needs --consumer NAME');
    if (!isConsumerName(consumer)) fail(`unknown consumer ${consumer}`);
    const stream = flag(args, 'stream');
    if (stream !== undefined && !(STREAMS as readonly string[]).includes(stream)) fail(`unknown stream ${stream}`);
    const from = intFlag(args, 'from', 0, Number.MAX_SAFE_INTEGER);
    const n = await replay(handle.db, consumer, from, stream as StreamName | undefined);
    console.log(`re-queued ${n} events for ${consumer} from position ${from}; its running consumer applies them`);
  } else if (command === 'prune') {
    const pruned = await prune(handle.db, config.delivery.retentionMs);
    console.log(`pruned ${pruned.outbox} outbox and ${pruned.inbox} inbox rows older than ${config.delivery.retentionMs / 3_600_000} h`);
  } else {
    fail(`unknown command ${command}`);
  }
} finally {
  await handle.close();
}
