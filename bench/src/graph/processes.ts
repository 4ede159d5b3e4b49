/**
 * The graph as production runs it: each subgraph, the outbox relay and each gateway in its own
 * Node process, started from its own entry point with its own settings, so each one's CPU can be
 * read from /proc. The load generator stays in the bench's process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STARTUP_MS = 90_000;
const STOP_MS = 10_000;

export interface Service {
  name: string;
  child: ChildProcess;
  pid: number;
  url: string;
}

/** A port nobody listens on now (the service binds it a moment later; loopback only). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Any HTTP answer at all means the service listens. */
async function answers(url: string): Promise<boolean> {
  try {
    await (await fetch(url, { signal: AbortSignal.timeout(2_000) })).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * Extra Node flags for the graph's processes, e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"
 * to profile them; BENCH_NODE_ARGS_FOR="merchants,gateway:ours" limits them to those services.
 */
function nodeArgs(name: string): string[] {
  const args = process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
  const only = process.env['BENCH_NODE_ARGS_FOR']?.split(',').map((s) => s.trim());
  return only && !only.includes(name) ? [] : args;
}

/** How a service shows it is ready: its URL answers, it prints `READY <url>`, or it is still up after a while. */
export type Readiness = { url: string } | 'announces' | { aliveAfterMs: number };

/** Every service still running: one exit listener kills them all (two graphs are 12 services). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `script` (a path from the repository root) under `node` with tsx and waits until it is
 * ready. Its log lines go to stderr with its name in front; services run with LOG_LEVEL=error, so
 * only trouble shows.
 */
export async function startService(name: string, node: string, script: string, args: string[], env: Record<string, string>, readiness: Readiness): Promise<Service> {
  const child = spawn(node, [...nodeArgs(name), '--import', 'tsx', `${ROOT}${script}`, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let announced: string | null = null;
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      const ready = /^READY (\S+)/.exec(line);
      if (ready?.[1]) announced = ready[1];
      else if (line.trim()) process.stderr.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout!.on('data', relay);
  child.stderr!.on('data', relay);
  // A bench that dies (an exception, Ctrl-C) must not leave the graph running: an orphaned graph
  // keeps polling the bench database and skews every later measurement on the machine.
  running.add(child);
  child.once('exit', () => running.delete(child));
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const started = Date.now();
  const deadline = started + STARTUP_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`${name} exited with ${exited} while starting`);
    let ready: string | null = null;
    if (readiness === 'announces') ready = announced;
    else if ('url' in readiness) ready = (await answers(readiness.url)) ? readiness.url : null;
    else if (Date.now() - started >= readiness.aliveAfterMs) ready = '';
    if (ready !== null) return { name, child, pid: child.pid!, url: ready };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start within ${STARTUP_MS / 1000} s`);
}

/** SIGTERM (each service drains and exits), SIGKILL after a while. */
export async function stopService(service: Service): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
  await exited;
  clearTimeout(timer);
}
