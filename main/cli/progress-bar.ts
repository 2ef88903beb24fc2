/** "1h02m", "7m42s", "12s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** One line of a terminal progress bar: bar, count, percentage, rate, ETA and a trailing note. */
export function progressLine(
  done: number,
  total: number,
  itPerSec: number,
  etaSec: number,
  note: string,
  width = 24,
): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(fraction * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const rate =
    itPerSec >= 1 ? `${itPerSec.toFixed(1)} it/s` : `${(1 / Math.max(itPerSec, 1e-9)).toFixed(1)} s/it`;
  return `${bar} ${done}/${total} ${(fraction * 100).toFixed(0)}% ${rate} ETA ${formatDuration(etaSec)}  ${note}`;
}
