/** About how many characters a top-level row of the sidebar shows at its default width (label and description). */
export const SIDEBAR_ROW_CHARACTERS = 35;

/** Characters each level of nesting takes from a row (indent and twistie). */
const INDENT_CHARACTERS = 4;

/** How many characters a row `depth` levels down (0: top level) has for its label and description. */
export function rowCharacters(depth: number): number {
  return SIDEBAR_ROW_CHARACTERS - INDENT_CHARACTERS * depth;
}

/**
 * A row's description from `parts` (most important first) for a row labelled `label`, `depth`
 * levels down: as many leading parts as fit beside the label, joined by " · "; always the first,
 * cut short if needed.
 */
export function fitDescription(label: string, parts: readonly string[], depth: number): string {
  const room = Math.max(8, rowCharacters(depth) - label.length - 1);
  let text = parts[0] ?? '';
  if (text.length > room) return `${text.slice(0, room - 1)}…`;
  for (const part of parts.slice(1)) {
    if (text.length + 3 + part.length > room) break;
    text += ` · ${part}`;
  }
  return text;
}
