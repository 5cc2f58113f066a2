import { BadInputError } from '../../errors';
import type { ByteRange, RangeReceiver, TransferOptions } from '../store';
import type { RangeReader, Segment, SegmentSink } from './range-reader';
import { readSegments } from './segments';

/**
 * Reads byte ranges, `concurrency` at a time, each retried and resumed on its own. Deliveries to
 * `receive` run one after the other; after one fails, no more are made.
 */
export async function readRanges(
  reader: RangeReader,
  ranges: readonly ByteRange[],
  receive: RangeReceiver,
  concurrency: number,
  options: TransferOptions = {},
): Promise<void> {
  const segments = ranges.map((range): Segment => {
    checkRange(reader.label, range);
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
  };
  await readSegments(reader, segments, sink, { concurrency, ...options });
}

function checkRange(label: string, range: ByteRange): void {
  const { start, length } = range;
  if (Number.isSafeInteger(start) && start >= 0 && Number.isSafeInteger(length) && length >= 1) return;
  throw new BadInputError(`Cannot read bytes of ${label}: start ${start}, length ${length} is not a byte range.`, 'Give ranges of at least one byte from a position of 0 or more.');
}
