import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { formatCheckErrorMarkdown, formatCheckMarkdown, MARKDOWN_MARKER, type CheckReport, type DatabaseCheck } from '../../../src/core/check';
import { code, text } from '../../../src/core/check/markdown';

/** A GFM renderer (tables) that lets raw HTML through, as GitHub does for the tags it allows. */
const renderer = new MarkdownIt({ html: true });
const render = (markdown: string): string => renderer.render(markdown);

const ID = '20250102030405123456789';

function database(overrides: Partial<DatabaseCheck>): DatabaseCheck {
  return {
    database: 'app.db',
    outcome: 'passed',
    source: { kind: 'head', number: 3, versionId: '4_zabc', author: 'alice', uploadTimestamp: Date.UTC(2025, 0, 2, 3, 4, 5), fetched: { how: 'whole', bytes: 1 } },
    scripts: [`${ID}_add_people.py`],
    tables: [],
    otherChanges: [],
    lintWarnings: [],
    scriptIssues: [],
    notes: [],
    ...overrides,
  };
}

/** The cells of each row of the first table after `heading` in rendered HTML. */
function tableCells(html: string, after = ''): string[][] {
  const from = html.indexOf(after);
  const tableHtml = html.slice(from).match(/<table>[\s\S]*?<\/table>/)?.[0] ?? '';
  return [...tableHtml.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => cell[1]!));
}

describe('check report as GitHub markdown', () => {
  it('starts with the marker a workflow finds its comment by, and says the verdict', () => {
    const markdown = formatCheckMarkdown({ databases: [database({})] });
    assert.ok(markdown.startsWith(`${MARKDOWN_MARKER}\n## b2m check: ✅ passed\n`));
    const summary = tableCells(render(markdown));
    assert.deepEqual(summary, [
      ['database', 'checked on', 'scripts', 'result'],
      ['<code>app.db</code>', 'v3 by alice, 2025-01-02 03:04:05 UTC', '1', '✅ passed'],
    ]);
  });

  it('names the SQLite check that ran: quick_check when b2m.json says "verify": "quick"', () => {
    assert.match(formatCheckMarkdown({ databases: [database({})] }), /`PRAGMA integrity_check` and `PRAGMA foreign_key_check` passed on the result\./);
    const quick = formatCheckMarkdown({ databases: [database({ verifyMode: 'quick', checkScript: 'checks/verify.py' })] });
    assert.match(quick, /`PRAGMA quick_check`, `PRAGMA foreign_key_check` and the check script `checks\/verify\.py` passed on the result\./);
    assert.doesNotMatch(quick, /integrity_check/);
  });

  it('sums up several databases by the worst of them', () => {
    const title = (databases: DatabaseCheck[]) => formatCheckMarkdown({ databases }).split('\n')[1];
    const warned = database({ lintWarnings: [{ kind: 'all-rows-deleted', table: 'logs', message: 'Every row of table logs is deleted (4 rows).', hint: 'Add a WHERE clause.' }] });
    assert.equal(title([database({}), warned]), '## b2m check: ⚠️ passed with 1 warning');
    assert.equal(title([warned, database({ outcome: 'failed', failure: { kind: 'verification', message: 'x' } })]), '## b2m check: ❌ failed');
    assert.equal(title([database({ outcome: 'nothing-to-check', scripts: [] })]), '## b2m check: ✅ nothing to check');
    assert.equal(title([database({ outcome: 'skipped', scripts: [] })]), '## b2m check: ➖ nothing checked');
  });

  it('keeps names and values from the database inert: no HTML, no broken table, no mention', () => {
    const hostile = '<img src=x onerror=alert(1)> | `x` @team';
    const report: CheckReport = {
      databases: [
        database({
          tables: [
            {
              table: hostile,
              inserted: 1,
              updated: 1,
              deleted: 0,
              schema: [{ what: 'columns added', names: [`${hostile} TEXT`] }],
              sample: {
                columns: ['id', hostile],
                hiddenColumns: 0,
                rows: [
                  { change: 'insert', cells: [{ value: '1' }, { value: `'${hostile}'` }] },
                  { change: 'update', cells: [{ value: '2' }, { value: "'</details>'", before: `'${hostile}'` }] },
                ],
              },
            },
          ],
          lintWarnings: [{ kind: 'table-dropped', table: hostile, message: `Table ${hostile} is dropped, with its 3 rows.`, hint: 'Check that nothing still needs it.' }],
        }),
      ],
    };
    const html = render(formatCheckMarkdown(report));
    assert.doesNotMatch(html, /<img/);
    assert.doesNotMatch(html, /<a /, 'no link or mention is made of a value');
    const changes = tableCells(html, 'Changes');
    assert.equal(changes[1]?.length, 5, 'the pipe in the table name does not split the cell');
    assert.equal(changes[1]?.[0], '<code>&lt;img src=x onerror=alert(1)&gt; | `x` @team</code>');
    const rows = tableCells(html, 'First rows');
    assert.deepEqual(rows.map((r) => r.length), [3, 3, 3]);
    assert.equal(rows[2]?.[2], "<code>'&lt;img src=x onerror=alert(1)&gt; | `x` @team'</code> → <code>'&lt;/details&gt;'</code>");
    assert.match(html, /<li>⚠️ Table &lt;img src=x onerror=alert\(1\)&gt; \| `x` @team is dropped, with its 3 rows\. Check that nothing still needs it\.<\/li>/);
    assert.match(html, /<\/details>\s*$/, 'the collapsible block closes where the report says, not at a value');
  });

  it('shows a failure: the script marked, the error, its output in a block no line of it can close', () => {
    const output = 'Traceback (most recent call last):\n```\n</details>\nsqlite3.OperationalError: no such table: x';
    const markdown = formatCheckMarkdown({
      databases: [
        database({
          outcome: 'failed',
          failure: { kind: 'verification', message: `Migration ${ID}_add_people.py failed: it exited with code 1.`, hint: 'Fix the script and run "b2m check" again.', script: `${ID}_add_people.py`, output },
        }),
      ],
    });
    assert.match(markdown, new RegExp(`^1\\. \`${ID}_add_people\\.py\` ❌ failed$`, 'm'));
    assert.match(markdown, new RegExp(`^\\*\\*Error:\\*\\* Migration \`${ID}_add_people\\.py\` failed: it exited with code 1\\.$`, 'm'));
    assert.match(markdown, /^Fix the script and run `b2m check` again\.$/m);
    const html = render(markdown);
    assert.ok(html.includes(`<pre><code class="language-text">${output.replace('<', '&lt;').replace('>', '&gt;')}\n</code></pre>`), html);
  });

  it('says why a check could not run at all', () => {
    const markdown = formatCheckErrorMarkdown('B2 refused the application key <id>.', 'Check B2_APPLICATION_KEY_ID and B2_APPLICATION_KEY.');
    assert.equal(markdown, `${MARKDOWN_MARKER}\n## b2m check: ❌ could not run\n\nB2 refused the application key \\<id\\>.\n\nCheck B2_APPLICATION_KEY_ID and B2_APPLICATION_KEY.\n`);
  });

  it('code spans hold any text: backticks, pipes in table cells, line breaks', () => {
    assert.equal(code('plain'), '`plain`');
    assert.equal(code('a`b'), '``a`b``');
    assert.equal(code('`x`'), '`` `x` ``');
    assert.equal(code('a|b'), '`a|b`');
    assert.equal(code('a|b', true), '`a\\|b`');
    assert.equal(code('a\nb'), '`a b`');
    for (const s of ['a`b', '`x`', '``y``', 'a|b']) assert.equal(render(code(s)), `<p><code>${s}</code></p>\n`);
  });

  it('text escapes what markdown would act on', () => {
    assert.equal(text('a *b* [c](d) <e> & f | g @h \\ `i`'), 'a \\*b\\* \\[c\\](d) \\<e\\> \\& f \\| g \\@h \\\\ \\`i\\`');
    assert.equal(render(text('a *b* [c](d) <e> &amp; `i`')), '<p>a *b* [c](d) &lt;e&gt; &amp;amp; `i`</p>\n');
  });
});
