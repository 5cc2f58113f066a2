import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDiffHtml, contentSecurityPolicy } from '../../src/extension/webview/diff-html';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'bm9uY2Ugb25lIHR3bw==',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/diff.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/diff.css',
};

function cspOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the page declares a Content-Security-Policy');
  return match[1]!.replace(/&#39;|&apos;/g, "'");
}

test('the CSP allows only the nonce for scripts and the webview source for styles, images and fonts', () => {
  const directives = new Map(
    cspOf(buildDiffHtml(options))
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values.join(' ')]),
  );
  assert.equal(directives.get('default-src'), "'none'");
  assert.equal(directives.get('script-src'), `'nonce-${options.nonce}'`);
  assert.equal(directives.get('style-src'), options.cspSource);
  assert.equal(directives.get('img-src'), options.cspSource);
  assert.equal(directives.get('font-src'), options.cspSource);
  assert.equal(contentSecurityPolicy(options.cspSource, options.nonce), cspOf(buildDiffHtml(options)));
  assert.doesNotMatch(cspOf(buildDiffHtml(options)), /unsafe-inline|unsafe-eval/);
});

test('every script carries the nonce and loads the given bundle; no inline code or styles', () => {
  const html = buildDiffHtml(options);
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.equal(scripts[0]![1], ` nonce="${options.nonce}" src="${options.scriptUri}"`);
  assert.equal(scripts[0]![2], '');
  assert.match(html, new RegExp(`<link rel="stylesheet" href="${options.styleUri.replace(/[.+]/g, '\\$&')}">`));
  assert.doesNotMatch(html, /<style|style=|\son[a-z]+=/i);
});

test('values are escaped in attributes', () => {
  const html = buildDiffHtml({ ...options, scriptUri: 'https://x/"><script>alert(1)</script>', nonce: 'a"b' });
  assert.equal([...html.matchAll(/<script/g)].length, 1);
  assert.match(html, /src="https:\/\/x\/&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  assert.match(html, /nonce="a&quot;b"/);
});
