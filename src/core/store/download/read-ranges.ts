import { BadInputError } from '../../errors';
import type { B2Session } from '../b2-session';
import { bodyTransport } from '../download-blocks';
import type { Segment, SegmentSink, VersionRef } from '../download-segment';
import { fetchSegments, type SegmentPlan } from '../ranged-download';
import type { ByteRange, RangeReceiver, TransferOptions } from '../store';

/**
 * Reads byte ranges of a version, `plan.concurrency` at a time, each retried and resumed on its
 * own. Deliveries to `receive` run one after the other; after one fails, no more are made.
 */
export async function readRanges(
  session: B2Session,
  version: VersionRef,
  ranges: readonly ByteRange[],
  receive: RangeReceiver,
  plan: SegmentPlan,
  options: TransferOptions = {},
): Promise<void> {
  const segments = ranges.map((range): Segment => {
    checkRange(version, range);
    return { start: range.start, length: range.length, done: 0 };
  });
  let previous: Promise<void> = Promise.resolve();
  let failed = false;
  const sink: SegmentSink = {
    write: (position, bytes) => {
      const delivery = previous.then(async () => {
        if (failed) throw new Error('An earlier delivery failed.');
        try {
          await receive(position, bytes);
        } catch (error) {
          failed = true;
          throw error;
        }
      });
      previous = delivery.catch(() => undefined);
      return delivery;
    },
    written: () => undefined,
  };
  await fetchSegments(session, version, segments, { concurrency: plan.concurrency, sink, transport: bodyTransport(plan), ...options });
}

function checkRange(version: VersionRef, range: ByteRange): void {
  const { start, length } = range;
  if (Number.isSafeInteger(start) && start >= 0 && Number.isSafeInteger(length) && length >= 1) return;
  throw new BadInputError(`Cannot read bytes of ${version.name}: start ${start}, length ${length} is not a byte range.`, 'Give ranges of at least one byte from a position of 0 or more.');
}
