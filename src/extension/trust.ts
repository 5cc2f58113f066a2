import * as vscode from 'vscode';

/** VS Code's own command that opens the Workspace Trust editor. */
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

const MANAGE_TRUST = 'Manage Workspace Trust';

/**
 * What a command that would run code from the workspace (Python, the check script, the local
 * server) or contact the bucket says in an untrusted workspace, with a way to trust it.
 */
export async function askForTrust(): Promise<undefined> {
  const choice = await vscode.window.showWarningMessage(
    'b2m: Trust this workspace to sync. In Restricted Mode b2m runs no Python or check script, starts no server and does not contact the bucket, because b2m.json names them.',
    MANAGE_TRUST,
  );
  if (choice === MANAGE_TRUST) await vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
  return undefined;
}

/** What the Databases view says above its rows in an untrusted workspace. */
export const RESTRICTED_MODE_MESSAGE =
  'Restricted Mode: b2m shows the databases b2m.json names but runs no Python and does not contact the bucket until you trust this workspace.';
