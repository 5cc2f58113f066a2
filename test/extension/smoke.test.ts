import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { print } from './print.js';

const extensionId = 'b2m.b2m';

describe('extension smoke', () => {
  it('is installed and activates by itself in a workspace with b2m.json', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    const deadline = Date.now() + 10_000;
    while (!extension.isActive && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(extension.isActive, true, `${extensionId} did not activate on workspaceContains:b2m.json`);
    reportActivationTime();
  });

  it('opened the workspace that holds b2m.json', async () => {
    const found = await vscode.workspace.findFiles('b2m.json');
    assert.equal(found.length, 1);
  });
});

/**
 * Prints how long loading and activating the extension took, from the performance marks VS Code's
 * extension host records around each activation (an internal, so absent marks are only reported).
 */
function reportActivationTime(): void {
  const marks = (globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } })
    .MonacoPerformanceMarks?.getMarks();
  const at = (event: string): number | undefined => marks?.find((m) => m.name === `code/extHost/${event}/${extensionId}`)?.startTime;
  const willLoad = at('willLoadExtensionCode');
  const didLoad = at('didLoadExtensionCode');
  const didActivate = at('didActivateExtension');
  if (willLoad === undefined || didLoad === undefined || didActivate === undefined) {
    print(`b2m activation time: unknown (no extension host performance marks)`);
    return;
  }
  print(`b2m activation time: ${(didActivate - willLoad).toFixed(1)} ms (loading code ${(didLoad - willLoad).toFixed(1)} ms)`);
}
