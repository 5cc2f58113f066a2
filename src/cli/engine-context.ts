import { loadWorkspace } from '../core/config';
import type { EngineContext } from '../core/context';
import { currentIdentity } from '../core/identity';
import { once, openWorkspaceStore } from '../core/open-store';
import { resolveCredentials } from '../core/store/credentials';
import type { CommandIO } from './command';

/** The engine context of one CLI run: the workspace around the current folder, env credentials. */
export async function cliContext(io: CommandIO): Promise<EngineContext> {
  const ws = await loadWorkspace(io.cwd);
  return {
    ws,
    identity: currentIdentity(io.env, ws.root),
    store: once(() => openWorkspaceStore(ws, resolveCredentials(io.env), { signal: io.signal })),
    signal: io.signal,
    onProgress: (e) => io.output.progress(e),
    onWarning: (m) => io.output.warn(m),
  };
}
