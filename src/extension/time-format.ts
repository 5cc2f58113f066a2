// Times as the extension shows them: on the reader's own clock, with the time zone named wherever
// there is room for it (tooltips, pickers, notifications); tree rows say how long ago.

let withZone: Intl.DateTimeFormat | undefined;
let clockWithZoneFormat: Intl.DateTimeFormat | undefined;

/** "Mar 3, 2026, 02:02 PM GMT+1" (in the reader's locale and zone). */
export function timeWithZone(ms: number): string {
  withZone ??= new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  return withZone.format(ms);
}

/** "14:02:11 UTC": a moment of today, with the zone. */
export function clockWithZone(ms: number): string {
  clockWithZoneFormat ??= new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
  return clockWithZoneFormat.format(ms);
}

/** "14:02": hours and minutes only, for short status text (the tooltip names the zone). */
export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** "just now", "5m ago", "2h ago", "3d ago", else the day ("Mar 3"): for tree rows (the tooltip has the time). */
export function age(ms: number, now = Date.now()): string {
  const minutes = Math.floor((now - ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes}m ago`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)}h ago`;
  if (minutes < 7 * 24 * 60) return `${Math.floor(minutes / (24 * 60))}d ago`;
  const date = new Date(ms);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString([], { month: 'short', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) });
}
