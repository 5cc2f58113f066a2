import { BadInputError } from '../../core/errors';

const BYTES_PER_UNIT: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
};
const RATE = /^(\d+(?:\.\d+)?|\.\d+)\s*([KMG]i?B|B)\/s$/i;

/** Reads a rate such as `10MB/s`, `1.5 MiB/s` or `800KB/s` as bytes per second. */
export function parseBandwidth(text: string): number {
  const match = RATE.exec(text.trim());
  const bytesPerSecond = match ? Number(match[1]) * (BYTES_PER_UNIT[(match[2] as string).toUpperCase()] as number) : NaN;
  if (!(bytesPerSecond >= 1)) {
    throw new BadInputError(
      `--bandwidth must be a rate such as 10MB/s or 512KiB/s, not "${text}".`,
      'Units: B/s, KB/s, MB/s, GB/s (steps of 1000) or KiB/s, MiB/s, GiB/s (steps of 1024); decimals allowed; at least 1B/s.',
    );
  }
  return bytesPerSecond;
}
