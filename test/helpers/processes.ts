import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: entry points are spawned from here, as `npm start` would run them. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Only what a service needs to boot, plus `env`: nothing from the test runner's own environment
 * (its NODE_ENV, or secrets a developer exported) leaks into the child.
 */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...env };
}

/** Runs a TypeScript entry point (`node --import tsx <entry>`, as each package's `tsx src/index.ts`). */
function spawnEntry(entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry], { cwd: REPO_ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** How long a child may take to stop once asked (after it was ready) before it is SIGKILLed. */
const STOP_WINDOW_MS = 20_000;

/** SIGKILL: a test's child must go even if its shutdown hangs. */
function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Runs an entry point to its exit; killed (and reported as such) if it outlives `timeoutMs` (under the 60 s test timeout: a cold tsx start on two busy cores can take half a minute). */
export function runToExit(entry: string, env: Record<string, string>, timeoutMs = 50_000): Promise<Exited> {
  const child = spawnEntry(entry, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => kill(child), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Starts an entry point, waits until its stdout satisfies `ready` (or it exits, or `timeoutMs`
 * passes), then stops it with `stopSignal` and returns what it printed and how it exited. It is
 * SIGKILLed if it is not ready within `timeoutMs`, or not gone STOP_WINDOW_MS after being asked to
 * stop: the child never outlives the call.
 */
export function runUntil(
  entry: string,
  env: Record<string, string>,
  ready: (stdout: string) => boolean,
  timeoutMs = 50_000,
  stopSignal: NodeJS.Signals = 'SIGKILL',
): Promise<Exited & { ready: boolean }> {
  const child = spawnEntry(entry, env);
  let stdout = '';
  let stderr = '';
  let isReady = false;
  let timer = setTimeout(() => kill(child), timeoutMs);
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (!isReady && ready(stdout)) {
      isReady = true;
      child.kill(stopSignal);
      // Its shutdown gets a window of its own, whatever the start took.
      clearTimeout(timer);
      timer = setTimeout(() => kill(child), STOP_WINDOW_MS);
    }
  });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      clearTimeout(timer);
      kill(child);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ready: isReady });
    });
  });
}
