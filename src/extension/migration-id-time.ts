/** When a migration was written, from its 23-digit id: "20250102030405123456789" → "2025-01-02 03:04". */
export function migrationIdTime(id: string): string {
  return `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)} ${id.slice(8, 10)}:${id.slice(10, 12)}`;
}
