import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { decodeProcessFacts, encodeProcessFacts, isProvablyGone, ownProcessFacts, startTicksOf, type ProcessFacts } from '../../../src/core/lock/process-facts';

describe('process facts: a lock holder is dead only when this machine proves it', () => {
  const own: ProcessFacts = { boot: '0f6f8eea-1473-4dfe-8dca-574034efe76c', pidNamespace: '4026531836', pid: 100, startTicks: '5000' };
  const holder = (overrides: Partial<ProcessFacts>): ProcessFacts => ({ ...own, pid: 4242, startTicks: '7000', ...overrides });
  const running = new Map([[4242, '7000']]);
  const ticks = (pid: number): string | undefined => running.get(pid);

  test('the same kernel boot and PID namespace, pid free: gone', () => {
    assert.equal(isProvablyGone(holder({ pid: 4243 }), own, ticks), true);
  });
  test('the pid now belongs to a process started at another time: gone (pid reused)', () => {
    assert.equal(isProvablyGone(holder({ startTicks: '6999' }), own, ticks), true);
  });
  test('the holder still runs: not gone', () => {
    assert.equal(isProvablyGone(holder({}), own, ticks), false);
  });
  test('another machine (another boot id) with the same host and user name: proves nothing', () => {
    assert.equal(isProvablyGone(holder({ boot: '11111111-2222-3333-4444-555555555555', pid: 4243 }), own, ticks), false);
  });
  test('another container or PID namespace on this kernel: proves nothing', () => {
    assert.equal(isProvablyGone(holder({ pidNamespace: '4026532000', pid: 4243 }), own, ticks), false);
  });
  test('facts missing (an older b2m, or not Linux): proves nothing', () => {
    assert.equal(isProvablyGone(undefined, own, ticks), false);
    assert.equal(isProvablyGone(holder({ pid: 4243 }), undefined, ticks), false);
  });
  test('this very process is never gone', () => {
    assert.equal(isProvablyGone({ ...own }, own, () => undefined), false);
  });
  test('facts survive encoding; damaged text decodes to nothing', () => {
    assert.deepEqual(decodeProcessFacts(encodeProcessFacts(own)), own);
    assert.equal(decodeProcessFacts('alice/laptop/12'), undefined);
    assert.equal(decodeProcessFacts(undefined), undefined);
  });

  test('on this machine: a child that ran and exited is provably gone, a running one is not', async (t) => {
    const mine = ownProcessFacts();
    if (process.platform !== 'linux') {
      assert.equal(mine, undefined, 'no facts where /proc does not tell them');
      return;
    }
    assert.ok(mine, 'Linux tells the facts');
    assert.equal(mine.pid, process.pid);
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    t.after(() => child.kill('SIGKILL'));
    await once(child, 'spawn');
    const childFacts: ProcessFacts = { ...mine, pid: child.pid!, startTicks: startTicksOf(child.pid!)! };
    assert.ok(childFacts.startTicks, 'a running child has a start time');
    assert.equal(isProvablyGone(childFacts, mine), false);
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.equal(isProvablyGone(childFacts, mine), true);
  });
});
