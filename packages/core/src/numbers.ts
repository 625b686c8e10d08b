/**
 * A plain decimal as text: an optional minus, digits, an optional fraction. No exponent, hex,
 * leading `+`, blanks, `Infinity` or `NaN` — what a person or a client library writes for a number.
 */
export const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** The number a plain decimal stands for, or undefined when the text is anything else or overflows. */
export function plainDecimal(text: string): number | undefined {
  if (!PLAIN_DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
