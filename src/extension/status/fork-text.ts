import type { OvertakenVersion, VersionRef } from '../../core/versions/history-summary';
import { versionLabel } from '../../core/versions/numbering';

/**
 * A version someone else's upload overtook (two versions built on one parent), for people:
 * "Your base v4 was overtaken by carol's v5 (both built on v3): the migrations it carried
 * (add_email) are pending again; your next sync replays them."
 */
export function describeOvertaken(fork: OvertakenVersion, yourBase: boolean): string {
  const what = yourBase ? `Your base ${versionLabel(fork.version.number)}` : `${versionLabel(fork.version.number)} by ${fork.version.author ?? 'someone'}`;
  const by = fork.by ? ` by ${possessive(fork.by)} ${versionLabel(fork.by.number)}` : '';
  const point = fork.forkPoint ? ` (both built on ${versionLabel(fork.forkPoint.number)})` : '';
  const carried =
    fork.migrationsLost.length > 0
      ? `the migrations it carried (${fork.migrationsLost.map(phraseOf).join(', ')}) are pending again; ${yourBase ? 'your' : "its author's"} next sync replays them.`
      : 'the head has every migration it carried.';
  return `${what} was overtaken${by}${point}: ${carried}`;
}

function possessive(version: VersionRef): string {
  return `${version.author ?? 'someone'}'s`;
}

/** "20261201…_add_email" → "add_email". */
function phraseOf(migration: string): string {
  return migration.replace(/^\d+_/, '');
}
