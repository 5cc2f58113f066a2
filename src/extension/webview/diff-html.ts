// The diff webview's HTML page. Pure (no vscode import) so its Content Security Policy can be
// tested: only the bundle carrying the nonce may run, and styles, images and fonts may come
// only from the extension's own webview resources.
export interface DiffHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Fresh random value for every page. */
  nonce: string;
  /** `webview.asWebviewUri` of dist/webview/diff.js and dist/webview/diff.css. */
  scriptUri: string;
  styleUri: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function buildDiffHtml(options: DiffHtmlOptions): string {
  const csp = escapeAttribute(contentSecurityPolicy(options.cspSource, options.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>Database diff</title>
</head>
<body>
<div id="app" aria-busy="true"><div class="state loading" role="status"><p class="state-title">Loading diff…</p></div></div>
<script nonce="${escapeAttribute(options.nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
