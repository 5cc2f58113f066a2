import MIGRATION_TEMPLATE from './python/migration_template.py';

export interface TemplateOptions {
  /** The normalised phrase; it becomes the script's title. */
  phrase: string;
  /** SQL to embed (e.g. captured local edits); without it the script is a no-op to fill in. */
  sql?: string;
}

/** The placeholders of migration_template.py (itself a valid migration that changes nothing). */
const TITLE_PLACEHOLDER = '"""{title}\n';
const SQL_PLACEHOLDER = '\nSQL = ""\n';

/** The Python source of a new migration script. As generated, it runs and is a valid migration. */
export function migrationTemplate({ phrase, sql = '' }: TemplateOptions): string {
  return MIGRATION_TEMPLATE.replace(TITLE_PLACEHOLDER, () => `"""${phrase.replace(/_/g, ' ')}\n`).replace(
    SQL_PLACEHOLDER,
    () => `\nSQL = ${pythonStringLiteral(sql)}\n`,
  );
}

/**
 * A Python string literal equal to `text`, kept readable: a triple-quoted string whose lines are
 * the text's lines. Backslashes, quotes that could end the literal, carriage returns (Python
 * would turn CR LF into LF), other control characters and lone surrogates are escaped.
 */
export function pythonStringLiteral(text: string): string {
  let body = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    const code = char.charCodeAt(0);
    if (char === '\\') body += '\\\\';
    else if (char === '"') body += i === text.length - 1 || text[i + 1] === '"' ? '\\"' : '"';
    else if (char === '\n' || char === '\t') body += char;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) body += char + text[++i];
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || code === 0x2028 || code === 0x2029 || code === 0xfeff) {
      body += `\\u${code.toString(16).padStart(4, '0')}`;
    } else body += char;
  }
  // A backslash-newline right after the opening and before the closing quotes adds no character.
  return `"""\\\n${body}\\\n"""`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
