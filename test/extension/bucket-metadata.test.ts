// What the views make of a version's metadata, which anyone who can write the bucket sets: an
// author, a migration or an id is shown as text, never as markup, and a malformed one is shown as
// it is instead of breaking the list.
import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import * as vscode from 'vscode';
import type { B2mExtensionApi } from '../../src/extension/extension';
import type { VersionNode } from '../../src/extension/views/tree-nodes';

/** CommonMark as a hover shows it: raw HTML is not let through. */
const render = (md: vscode.MarkdownString): string => new MarkdownIt().render(md.value);

const HOSTILE = 'x` [link](https://evil.example) ![img](https://evil.example/t.png) **bold** <b>tag</b>\n\n# heading';

describe('version metadata from the bucket', () => {
  let api: B2mExtensionApi;

  before(async () => {
    api = await vscode.extensions.getExtension<B2mExtensionApi>('b2m.b2m')!.activate();
  });

  it('a version tooltip shows author, migration and ids as text; ids in code spans backticks cannot close', () => {
    const node: VersionNode = {
      kind: 'version',
      database: 'app.db',
      number: 2,
      isHead: true,
      isBase: false,
      version: {
        id: '4_z`id` [link](https://evil.example)',
        name: 'app.db',
        size: 1024,
        uploadTimestamp: Date.UTC(2026, 0, 2, 3, 4, 5),
        author: HOSTILE,
        migration: HOSTILE,
        parent: '``parent``',
        restoredFrom: '`restored',
      },
      migrationName: HOSTILE,
    };
    const html = render(api.databasesTree.getTreeItem(node).tooltip as vscode.MarkdownString);
    assert.doesNotMatch(html, /<a\b|<img\b|<b>|<h1>/, html);
    assert.equal(html.match(/<strong>/g)?.length, 1, `only the title is bold: ${html}`);
    for (const id of [node.version.id, '``parent``', '`restored']) assert.ok(html.includes(`<code>${id}</code>`), `${id} in a code span: ${html}`);
  });

  it('a migration id that is not one is named as it is', () => {
    assert.equal(api.model.migrationName('app.db', '2026-not-an-id'), 'migration 2026-not-an-id');
    assert.match(api.model.migrationName('app.db', '20260102030405123456789'), /^migration of .*\b2026\b/);
  });
});
