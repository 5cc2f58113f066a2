// Entry point of the diff webview: starts the panel and tells the host it can send the diff.
import './styles.css';
import { DiffApp } from './diff-app';
import { isHostMessage } from './protocol';
import { vscodeApi } from './vscode-api';

const root = document.getElementById('app');
if (root === null) throw new Error('The diff page has no #app element');
const api = vscodeApi();
const app = new DiffApp(root, (message) => api.postMessage(message));
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostMessage(event.data)) app.handle(event.data);
});
api.postMessage({ type: 'ready' });
