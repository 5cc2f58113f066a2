/** About how many characters a row of the sidebar shows at its default width (label and description). */
export const SIDEBAR_ROW_CHARACTERS = 35;

/**
 * A row's description from `parts` (most important first) for a row labelled `label`: as many
 * leading parts as fit beside the label, joined by " · "; always the first, cut short if needed.
 */
export function fitDescription(label: string, parts: readonly string[]): string {
  const room = Math.max(8, SIDEBAR_ROW_CHARACTERS - label.length - 1);
  let text = parts[0] ?? '';
  if (text.length > room) return `${text.slice(0, room - 1)}…`;
  for (const part of parts.slice(1)) {
    if (text.length + 3 + part.length > room) break;
    text += ` · ${part}`;
  }
  return text;
}
