/** A duration in seconds as people read it on a progress bar: `42s`, `7m42s`, `2h05m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A timestamp as a short local date and time. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  const today = new Date();
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (date.toDateString() === today.toDateString()) return time;
  return `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}

/** A number with a few significant digits, for axis ticks and readouts. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 0.01) return value.toFixed(3);
  return value.toExponential(1);
}

/** The last segment of a path, whichever separator it uses. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** `path` relative to `root` when it lies inside it, else `path` unchanged. */
export function relativeTo(root: string, path: string): string {
  const prefix = root.endsWith('/') || root.endsWith('\\') ? root : `${root}/`;
  if (path.startsWith(prefix)) return path.slice(prefix.length);
  const winPrefix = root.endsWith('\\') ? root : `${root}\\`;
  return path.startsWith(winPrefix) ? path.slice(winPrefix.length) : path;
}

/** A file size in bytes as `830 B`, `12.4 kB`, `3.1 MB`, `1.20 GB` (powers of 1000). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

/** Milliseconds as `0.42 ms`, `12.3 ms`, `184 ms`, or `2.4 s` past a second. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  return `${ms.toFixed(ms < 1 ? 2 : ms < 100 ? 1 : 0)} ms`;
}

/** A parity figure (max abs difference) as `3.1e-7`, or `0` when the outputs matched exactly. */
export function formatParity(maxAbs: number): string {
  if (maxAbs === 0) return '0';
  return maxAbs.toExponential(1);
}

/** The folder a path lies in, whichever separator it uses. */
export function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return '';
  return cut === 0 ? path.slice(0, 1) : path.slice(0, cut);
}

/** A model kind as people write it: `CycleGAN`, `pix2pix`, or the kind unchanged. */
export function kindLabel(kind: string): string {
  return kind === 'cyclegan' ? 'CycleGAN' : kind;
}

/** A generator's direction as an arrow between the domains, `A→B` or `B→A`; null stays empty. */
export function directionLabel(direction: string | null): string {
  if (direction === 'AtoB') return 'A→B';
  if (direction === 'BtoA') return 'B→A';
  return direction ?? '';
}
