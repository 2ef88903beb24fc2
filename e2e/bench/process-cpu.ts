import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system, ms) of each running process, by pid, with the role it plays; null off Linux. */
export type ProcessCpu = Map<number, { role: string; ms: number }> | null;

/** Clock ticks per second of /proc's times (100 on every Linux the studio runs on). */
const TICK_MS = 10;

/** The part of the bench a process plays, from its command line; null for the machine's others. */
function roleOf(command: string): string | null {
  if (command.includes('modelworker'))
    return command.includes('--low-priority') ? 'preview worker' : 'model worker';
  if (command.includes('ganstudio') && command.includes('serve')) return 'web host';
  if (command.includes('chromium') || command.includes('chrome')) {
    const type = /--type=([a-z-]+)/.exec(command)?.[1];
    return type === 'gpu-process'
      ? 'browser gpu'
      : type === 'renderer'
        ? 'browser renderer'
        : 'browser other';
  }
  if (command.includes('playwright')) return 'test runner';
  return null;
}

/** Reads every process's CPU time from /proc. */
export function processCpu(): ProcessCpu {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const cpu = new Map<number, { role: string; ms: number }>();
  for (const pid of pids) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const role = roleOf(command);
      if (!role) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu.set(Number(pid), { role, ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS });
    } catch {
      // The process ended meanwhile.
    }
  }
  return cpu;
}

/** CPU seconds each role used since `before` (processes started since count whole). */
export function cpuSince(before: ProcessCpu): Record<string, number> | null {
  const now = processCpu();
  if (!before || !now) return null;
  const seconds: Record<string, number> = {};
  for (const [pid, { role, ms }] of now) {
    const used = ms - (before.get(pid)?.ms ?? 0);
    seconds[role] = Math.round(((seconds[role] ?? 0) + used / 1000) * 100) / 100;
  }
  return seconds;
}

/** The machine's CPU tick counters (all, and stolen by the hypervisor) from /proc/stat; null off Linux. */
export function machineTicks(): { total: number; steal: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}

/** The share of CPU time the hypervisor took from this machine since `before` (0–1); null off Linux. */
export function stealSince(before: ReturnType<typeof machineTicks>): number | null {
  const now = machineTicks();
  if (!before || !now || now.total === before.total) return null;
  return Math.round(((now.steal - before.steal) / (now.total - before.total)) * 100) / 100;
}
