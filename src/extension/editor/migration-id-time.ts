/** When a migration was written, from its 23-digit id (UTC digits): "20250102030405123456789" → that moment in ms. */
export function migrationIdTime(id: string): number {
  const field = (start: number, end: number): number => Number(id.slice(start, end));
  return Date.UTC(field(0, 4), field(4, 6) - 1, field(6, 8), field(8, 10), field(10, 12), field(12, 14));
}
