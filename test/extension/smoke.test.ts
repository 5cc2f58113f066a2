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

  it('registers every command package.json contributes', async () => {
    const extension = vscode.extensions.getExtension(extensionId)!;
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
  });

  it('opened the workspace that holds b2m.json', async () => {
    const found = await vscode.workspace.findFiles('b2m.json');
    assert.equal(found.length, 1);
  });
});

/**
 * Prints how long loading and activating the extension took, from the performance marks VS Code's
 * extension host records around each activation (an internal, so absent marks are only reported):
 * from willLoadExtensionCode (it starts importing dist/extension.mjs) to didActivateExtension
 * (activate() returned). In between, the host also sets up the extension's context (storage,
 * secrets), in parallel with loading the code; "Developer: Show Running Extensions" shows code
 * loading plus the activate() call.
 */
function reportActivationTime(): void {
  const marks = (globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } })
    .MonacoPerformanceMarks?.getMarks();
  const at = (event: string): number | undefined => marks?.find((m) => m.name === `code/extHost/${event}/${extensionId}`)?.startTime;
  const willLoad = at('willLoadExtensionCode');
  const didLoad = at('didLoadExtensionCode');
  const willActivate = at('willActivateExtension');
  const didActivate = at('didActivateExtension');
  if (willLoad === undefined || didLoad === undefined || willActivate === undefined || didActivate === undefined) {
    print(`b2m activation time: unknown (no extension host performance marks)`);
    return;
  }
  const ms = (from: number, to: number): string => `${(to - from).toFixed(0)} ms`;
  print(
    `b2m activation time: ${ms(willLoad, didActivate)} (loading code ${ms(willLoad, didLoad)}, waiting for the extension context ${ms(didLoad, willActivate)}, activate() ${ms(willActivate, didActivate)})`,
  );
}
