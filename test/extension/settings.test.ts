// Settings outside b2m's own section that the session reads, inside a real extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { B2mExtensionApi } from '../../src/extension/extension';

describe('settings the session reads', () => {
  it('a change of VS Code\'s http.proxy reloads the session (the bucket is reached through it)', async () => {
    const api = await vscode.extensions.getExtension<B2mExtensionApi>('b2m.b2m')!.activate();
    const http = vscode.workspace.getConfiguration('http');
    let reloads = 0;
    const listening = api.session.onDidChange(() => reloads++);
    try {
      await http.update('proxy', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
      for (let waited = 0; reloads === 0 && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(reloads > 0, 'the session reloaded');
    } finally {
      await http.update('proxy', undefined, vscode.ConfigurationTarget.Global);
      listening.dispose();
      await api.session.reload();
    }
  });
});
