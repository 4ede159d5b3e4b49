/**
 * CPU time of processes from /proc, in milliseconds: utime + stime (fields 14 and 15 of
 * /proc/<pid>/stat), in clock ticks of 1/CLK_TCK s. Linux only, like the rest of the bench.
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 1000 / (Number(execSync('getconf CLK_TCK').toString().trim()) || 100);

/** The fields after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // gone
  }
}

/** A process's CPU so far; 0 once it is gone. */
export function cpuMs(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) * TICK_MS : 0;
}

/** Every process whose command is `postgres`: the server, its background workers and backends. */
export function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(entry));
    } catch {
      // exited between the listing and the read
    }
  }
  return pids;
}

/** CPU per pid now, for a set that may change while measured (backends come and go). */
export function snapshot(pids: number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, cpuMs(pid)]));
}

/**
 * CPU spent between two snapshots by the pids of `after` (a pid new since `before` counts from 0:
 * it started during the interval). A pid that exited in between is lost: a pool keeps its backends.
 */
export function spent(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, end] of after) ms += Math.max(0, end - (before.get(pid) ?? 0));
  return ms;
}
