// Version numbers as people read them: v1 is a database's first upload, the head has the highest
// number. B2 lists a file's versions newest first, so every function takes a list in that order
// (what listDatabaseVersions returns). Full version ids stay the reference; numbers are for reading.

/** Each version of a newest-first list with its number. */
export function numberVersions<T>(newestFirst: readonly T[]): { version: T; number: number }[] {
  return newestFirst.map((version, index) => ({ version, number: newestFirst.length - index }));
}

/** The number of the version with this id, if the list holds it. */
export function versionNumberOf(newestFirst: readonly { id: string }[], id: string): number | undefined {
  const index = newestFirst.findIndex((version) => version.id === id);
  return index < 0 ? undefined : newestFirst.length - index;
}

/** The version that has this number, if there is one. */
export function versionWithNumber<T>(newestFirst: readonly T[], number: number): T | undefined {
  return Number.isInteger(number) && number >= 1 ? newestFirst[newestFirst.length - number] : undefined;
}

/** "v7". */
export function versionLabel(number: number): string {
  return `v${number}`;
}

/** 7 for "v7" (or "V7"); undefined for anything else. */
export function parseVersionLabel(text: string): number | undefined {
  const match = /^v(\d+)$/i.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}
