/**
 * How SQLite 3.40 on x86-64 (Debian 12's sqlite3) reads a decimal REAL literal: sqlite3AtoF
 * scales an integer significand by powers of ten in 80-bit long double, then rounds to double.
 * That is not always correctly rounded (often one ulp off below 1e-291, rarely elsewhere), so a
 * literal is used only after checking, with exact arithmetic, that this reading gives it back.
 * SQLite 3.43 and later read literals exactly.
 */

interface Binary {
  /** value = mantissa * 2^exponent, mantissa >= 0 */
  mantissa: bigint;
  exponent: number;
}

const LARGEST_INT64 = (1n << 63n) - 1n;

/** Whether `literal` (digits, optional fraction and exponent, no sign) reads back as `value` (> 0). */
export function legacyReadsAs(literal: string, value: number): boolean {
  const read = legacyRead(literal);
  if (read === null) return false;
  const expected = binaryOf(value);
  return equalBinary(read, expected);
}

function legacyRead(literal: string): Binary | null {
  const match = /^(\d+)(?:\.(\d*))?(?:e([-+]?\d+))?$/.exec(literal);
  if (match === null) return null;
  const fraction = match[2] ?? '';
  if (`${match[1]}${fraction}`.length > 18) return null; // sqlite3AtoF would drop digits
  let s = BigInt(`${match[1]}${fraction}`);
  let e = Number(match[3] ?? 0) - fraction.length;
  if (s === 0n) return { mantissa: 0n, exponent: 0 };
  const negative = e < 0;
  e = Math.abs(e);
  if (negative) {
    while (s % 10n === 0n && e > 0) {
      s /= 10n;
      e--;
    }
  } else {
    while (s < LARGEST_INT64 / 10n && e > 0) {
      s *= 10n;
      e--;
    }
  }
  const significand: Binary = { mantissa: s, exponent: 0 };
  if (e === 0) return roundToDouble(significand, 1n);
  const tenTo308 = e > 307;
  if (e >= 342) return null;
  const scale = legacyScale(e);
  // long double arithmetic, stored in a double
  const result = roundToDouble(roundLong(...scaled(significand, scale, negative)), 1n);
  // then, in double arithmetic, by the double nearest 1e308
  return tenTo308 ? roundToDouble(...scaled(result, binaryOf(1e308), negative)) : result;
}

const scales = new Map<number, Binary>();

/** The power of ten sqlite3AtoF scales by for exponent e (long double arithmetic), memoised. */
function legacyScale(exponent: number): Binary {
  const known = scales.get(exponent);
  if (known) return known;
  let e = exponent;
  let scale: Binary = { mantissa: 1n, exponent: 0 };
  while (e % (exponent > 307 ? 308 : 22) !== 0) {
    scale = roundLong(multiply(scale, { mantissa: 10n, exponent: 0 }), 1n);
    e--;
  }
  for (; exponent <= 307 && e > 0; e -= 22) scale = roundLong(multiply(scale, { mantissa: 10n ** 22n, exponent: 0 }), 1n);
  scales.set(exponent, scale);
  return scale;
}

/** x divided (or multiplied) by y, as a numerator and a denominator. */
function scaled(x: Binary, y: Binary, divide: boolean): [Binary, bigint] {
  return divide ? [{ mantissa: x.mantissa, exponent: x.exponent - y.exponent }, y.mantissa] : [multiply(x, y), 1n];
}

function multiply(x: Binary, y: Binary): Binary {
  return { mantissa: x.mantissa * y.mantissa, exponent: x.exponent + y.exponent };
}

function roundLong(x: Binary, denominator: bigint): Binary {
  return roundTo(x, denominator, 64, -Infinity);
}

function roundToDouble(x: Binary, denominator: bigint): Binary {
  return roundTo(x, denominator, 53, -1074);
}

/** (x / denominator) rounded half-even to `bits` significant bits, no finer than 2^minExponent. */
function roundTo(x: Binary, denominator: bigint, bits: number, minExponent: number): Binary {
  if (x.mantissa === 0n) return { mantissa: 0n, exponent: 0 };
  // Exponent of the leading bit of x/denominator, within one.
  const lead = bitLength(x.mantissa) - bitLength(denominator) + x.exponent;
  let exponent = Math.max(lead - bits, minExponent);
  for (;;) {
    const shift = x.exponent - exponent;
    const numerator = shift >= 0 ? x.mantissa << BigInt(shift) : x.mantissa;
    const divisor = shift >= 0 ? denominator : denominator << BigInt(-shift);
    let quotient = numerator / divisor;
    const remainder = numerator - quotient * divisor;
    if (quotient >= 1n << BigInt(bits)) {
      exponent++;
      continue;
    }
    const twice = remainder * 2n;
    if (twice > divisor || (twice === divisor && (quotient & 1n) === 1n)) quotient++;
    return { mantissa: quotient, exponent };
  }
}

function bitLength(x: bigint): number {
  const hex = x.toString(16);
  return hex.length * 4 - (Math.clz32(parseInt(hex[0]!, 16)) - 28);
}

/** The exact binary value of a finite double (> 0). */
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
