/**
 * The top-level items of a CREATE TABLE statement's parenthesised list (column definitions,
 * then table constraints), each as written, trimmed. Null if the statement has no such list.
 */
export function tableDefinitionItems(createSql: string): string[] | null {
  const items: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < createSql.length; i++) {
    const c = createSql[i];
    if (c === "'" || c === '"' || c === '`') {
      i = closingQuote(createSql, i, c);
    } else if (c === '[') {
      i = indexOrEnd(createSql, ']', i + 1);
    } else if (c === '-' && createSql[i + 1] === '-') {
      i = indexOrEnd(createSql, '\n', i + 2);
    } else if (c === '/' && createSql[i + 1] === '*') {
      i = indexOrEnd(createSql, '*/', i + 2) + 1;
    } else if (c === '(') {
      depth++;
      if (depth === 1) start = i + 1;
    } else if (c === ')') {
      depth--;
      if (depth === 0) {
        items.push(createSql.slice(start, i).trim());
        return items;
      }
    } else if (c === ',' && depth === 1) {
      items.push(createSql.slice(start, i).trim());
      start = i + 1;
    }
  }
  return null;
}

/** Index of the quote that closes the one at `open` (a doubled quote stays inside). */
function closingQuote(text: string, open: number, quote: string): number {
  let i = open + 1;
  for (;;) {
    i = indexOrEnd(text, quote, i);
    if (text[i + 1] !== quote) return i;
    i += 2;
  }
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}
