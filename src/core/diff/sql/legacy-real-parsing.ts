/**
 * Whether every SQLite reads a decimal REAL literal back as the intended double. SQLite 3.43 and
 * later read literals exactly; earlier ones (Debian 12's 3.40 among them) scale an integer
 * significand by a power of ten, in 80-bit long double where the platform has it, and are often
 * one ulp off when that power is not exact. So a literal counts as safe only when its power of
 * ten is exact (at most 10^22) and both a single rounding and the long-double double rounding
 * give the double back, checked with exact integer arithmetic.
 */

interface Binary {
  /** value = mantissa * 2^exponent, mantissa >= 0 */
  mantissa: bigint;
  exponent: number;
}

const LARGEST_INT64 = (1n << 63n) - 1n;

/** For a literal of digits, optional fraction and exponent (no sign) and the double it stands for (> 0). */
export function legacyReadsAs(literal: string, value: number): boolean {
  const match = /^(\d+)(?:\.(\d*))?(?:e([-+]?\d+))?$/.exec(literal);
  if (match === null) return false;
  const fraction = match[2] ?? '';
  if (`${match[1]}${fraction}`.replace(/^0+/, '').length > 18) return false;
  let s = BigInt(`${match[1]}${fraction}`);
  let e = Number(match[3] ?? 0) - fraction.length;
  // sqlite3AtoF moves trailing zeros into the exponent, or digits out of a positive one.
  while (e < 0 && s % 10n === 0n && s !== 0n) {
    s /= 10n;
    e++;
  }
  while (e > 0 && s < LARGEST_INT64 / 10n) {
    s *= 10n;
    e--;
  }
  if (Math.abs(e) > 22) return false;
  const exact: [Binary, bigint] =
    e >= 0 ? [{ mantissa: s * 10n ** BigInt(e), exponent: 0 }, 1n] : [{ mantissa: s, exponent: 0 }, 10n ** BigInt(-e)];
  const expected = binaryOf(value);
  const single = roundTo(...exact, 53, -1074);
  const double = roundTo(roundTo(...exact, 64, -Infinity), 1n, 53, -1074);
  return equalBinary(single, expected) && equalBinary(double, expected);
}

/** (x / denominator) rounded half-even to `bits` significant bits, no finer than 2^minExponent. */
function roundTo(x: Binary, denominator: bigint, bits: number, minExponent: number): Binary {
  if (x.mantissa === 0n) return { mantissa: 0n, exponent: 0 };
  let exponent = Math.max(bitLength(x.mantissa) - bitLength(denominator) + x.exponent - bits, minExponent);
  for (;;) {
    const shift = x.exponent - exponent;
    const numerator = shift >= 0 ? x.mantissa << BigInt(shift) : x.mantissa;
    const divisor = shift >= 0 ? denominator : denominator << BigInt(-shift);
    let quotient = numerator / divisor;
    if (quotient >= 1n << BigInt(bits)) {
      exponent++;
      continue;
    }
    const twice = (numerator - quotient * divisor) * 2n;
    if (twice > divisor || (twice === divisor && (quotient & 1n) === 1n)) quotient++;
    return { mantissa: quotient, exponent };
  }
}

function bitLength(x: bigint): number {
  return x.toString(2).length;
}

/** The exact binary value of a finite double's magnitude. */
export function binaryOf(value: number): Binary {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(value));
  const exponentBits = view.getUint16(0) >> 4;
  const fraction = (BigInt(view.getUint32(0) & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  return exponentBits === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | (1n << 52n), exponent: exponentBits - 1075 };
}

function equalBinary(x: Binary, y: Binary): boolean {
  if (x.mantissa === 0n || y.mantissa === 0n) return x.mantissa === y.mantissa;
  const shift = x.exponent - y.exponent;
  return shift >= 0 ? x.mantissa << BigInt(shift) === y.mantissa : x.mantissa === y.mantissa << BigInt(-shift);
}
