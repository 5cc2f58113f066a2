import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { createOutput } from '../../../src/cli/output';
import { ProgressText, RateMeter } from '../../../src/core/progress';

const MiB = 1024 * 1024;

/** A real stream that says it is (or is not) a terminal, keeping what is written to it. */
function stream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const through = new PassThrough();
  through.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream: Object.assign(through, { isTTY }) as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

describe('CLI progress output', () => {
  it('redraws one live line with bytes, speed and time left on a terminal', async () => {
    let now = 0;
    const stderr = stream(true);
    const output = createOutput({ json: false, stderr: stderr.stream, progressText: new ProgressText(() => new RateMeter(5_000, () => now)) });
    output.progress({ step: 'upload', message: 'Uploading app.db', done: 0, total: 12 * MiB });
    now = 1_000;
    output.progress({ step: 'upload', message: 'Uploading app.db', done: 4 * MiB, total: 12 * MiB });
    await new Promise((resolve) => setTimeout(resolve, 120)); // past the redraw throttle
    output.progress({ step: 'upload', message: 'Uploading app.db', done: 8 * MiB, total: 12 * MiB });
    output.info('Uploaded.');
    const lines = stderr.text().split('\r\x1b[2K');
    assert.equal(lines.at(-1), 'Uploading app.db  8.0 MB / 12 MB  8.0 MB/s  ETA 1 s\nUploaded.\n');
  });

  it('draws nothing while paused for a question, holds warnings until it is answered, then draws again', async () => {
    const stderr = stream(true);
    const output = createOutput({ json: false, stderr: stderr.stream });
    output.progress({ step: 'upload', message: 'Uploading app.db', done: 0, total: 4 * MiB });
    output.pause();
    const asked = stderr.text();
    assert.equal(asked, '\r\x1b[2KUploading app.db  0 B / 4.0 MB\n', 'the question starts on a line of its own');
    output.progress({ step: 'upload', message: 'Uploading app.db', done: 4 * MiB, total: 4 * MiB });
    output.progress({ step: 'lock', message: 'Locking app.db' });
    output.warn('the lease was renewed late');
    output.info('Waiting.');
    assert.equal(stderr.text(), asked, 'nothing written over the question');
    output.resume();
    assert.equal(stderr.text(), `${asked}warning: the lease was renewed late\nWaiting.\n`);
    await new Promise((resolve) => setTimeout(resolve, 120)); // past the redraw throttle
    output.progress({ step: 'lock', message: 'Locking app.db' });
    assert.equal(stderr.text(), `${asked}warning: the lease was renewed late\nWaiting.\n\r\x1b[2KLocking app.db`);
  });

  it('prints one line per step when not on a terminal', () => {
    const stderr = stream(false);
    const output = createOutput({ json: false, stderr: stderr.stream });
    for (let done = 0; done <= 4; done++) output.progress({ step: 'download', message: 'Downloading app.db', done: done * MiB, total: 4 * MiB });
    output.progress({ step: 'verify', message: 'Verifying app.db' });
    assert.equal(stderr.text(), 'Downloading app.db\nVerifying app.db\n');
  });
});
