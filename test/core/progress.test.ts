import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSecondsLeft, ProgressText, RateMeter } from '../../src/core/progress';

const MiB = 1024 * 1024;

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('RateMeter', () => {
  it('measures the pace over the last window only', () => {
    const clock = manualClock();
    const meter = new RateMeter(5_000, clock.now);
    meter.record(0);
    assert.equal(meter.perSecond(), undefined, 'no pace from one sample');
    clock.advance(1_000);
    meter.record(10 * MiB);
    assert.equal(meter.perSecond(), 10 * MiB);
    // Slow for the next 6 s: the fast first second leaves the window.
    for (let i = 0; i < 6; i++) {
      clock.advance(1_000);
      meter.record(10 * MiB + (i + 1) * MiB);
    }
    assert.equal(meter.perSecond(), MiB);
    assert.equal(meter.secondsLeft(20 * MiB), 4);
  });

  it('starts over when fewer units are done than before (a transfer sent again)', () => {
    const clock = manualClock();
    const meter = new RateMeter(5_000, clock.now);
    meter.record(0);
    clock.advance(1_000);
    meter.record(8 * MiB);
    meter.record(2 * MiB);
    assert.equal(meter.perSecond(), undefined);
    clock.advance(500);
    meter.record(3 * MiB);
    assert.equal(meter.perSecond(), 2 * MiB);
  });

  it('knows no time left while nothing moves, and none once done', () => {
    const clock = manualClock();
    const meter = new RateMeter(5_000, clock.now);
    meter.record(MiB);
    clock.advance(1_000);
    meter.record(MiB);
    assert.equal(meter.secondsLeft(2 * MiB), undefined);
    meter.record(2 * MiB);
    assert.equal(meter.secondsLeft(2 * MiB), 0);
  });
});

describe('ProgressText', () => {
  it('shows bytes, speed and time left for a transfer', () => {
    const clock = manualClock();
    const text = new ProgressText(() => new RateMeter(5_000, clock.now));
    const event = (done: number) => ({ step: 'upload', message: 'Uploading app.db', done, total: 12 * MiB });
    assert.equal(text.describe(event(5.7 * MiB)), 'Uploading app.db  5.7 MB / 12 MB');
    clock.advance(1_000);
    assert.equal(text.describe(event(9.8 * MiB)), 'Uploading app.db  9.8 MB / 12 MB  4.1 MB/s  ETA 1 s');
    clock.advance(1_000);
    assert.equal(text.describe(event(12 * MiB)), 'Uploading app.db  12 MB / 12 MB  3.1 MB/s');
  });

  it('gives each transfer step its own meter', () => {
    const clock = manualClock();
    const text = new ProgressText(() => new RateMeter(5_000, clock.now));
    text.describe({ step: 'download', message: 'Downloading', done: 0, total: 10 * MiB });
    clock.advance(1_000);
    text.describe({ step: 'download', message: 'Downloading', done: 10 * MiB, total: 10 * MiB });
    assert.equal(text.describe({ step: 'upload', message: 'Uploading', done: MiB, total: 10 * MiB }), 'Uploading  1.0 MB / 10 MB');
  });

  it('counts other steps as units, and leaves uncounted ones as they are', () => {
    const text = new ProgressText();
    assert.equal(text.describe({ step: 'migrate', message: 'Running 2_x.py', done: 2, total: 5 }), 'Running 2_x.py 2/5');
    assert.equal(text.describe({ step: 'lock', message: 'Locking app.db' }), 'Locking app.db');
  });
});

describe('formatSecondsLeft', () => {
  it('reads in seconds, minutes or hours', () => {
    assert.equal(formatSecondsLeft(45), '45 s');
    assert.equal(formatSecondsLeft(185), '3 min 5 s');
    assert.equal(formatSecondsLeft(7_800), '2 h 10 min');
  });
});
