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
