/** Plain-text formatting shared by the CLI and the extension. */
import { versionLabel } from './versions/numbering';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "2026-11-24 14:02:11 UTC": unambiguous for a team across time zones. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

/** "14:02:11 UTC": a moment of the day, for times minutes away (a lock's lease). */
export function formatClock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** "v3 by alice, 2026-11-24 14:02:11 UTC": a version as people read it (full ids are for --json). */
export function describeVersion(v: { number: number; author?: string; uploadTimestamp: number }): string {
  return `${versionLabel(v.number)} by ${v.author ?? 'unknown'}, ${formatTime(v.uploadTimestamp)}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** A short version id for display (B2 ids are ~80 characters). */
export function shortVersionId(id: string): string {
  return id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id;
}

/** "9.8 MB of 1.0 GB (104× less)": what a transfer moved against the whole file. */
export function describeTransfer(moved: number, size: number): string {
  const ratio = moved > 0 ? size / moved : Infinity;
  const saving = ratio >= 1.5 ? ` (${Number.isFinite(ratio) ? `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}×` : 'infinitely'} less)` : '';
  return `${formatBytes(moved)} of ${formatBytes(size)}${saving}`;
}
