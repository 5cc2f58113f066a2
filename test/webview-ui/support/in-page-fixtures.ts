// Bundled into the test page (see loadInPageFixtures) so that large diffs are built inside the
// browser by the host's own chunking, instead of being shipped through the driver's protocol.
import { diffMessages } from '../../../src/extension/webview/diff-messages';
import { largeDiff } from './sample-diffs';

export function largeDiffMessages(count: number): ReturnType<typeof diffMessages> {
  return diffMessages(largeDiff(count));
}
