/**
 * The exact JSON text a parsed provider chunk came from. A passthrough stream can then forward the provider's
 * bytes instead of re-serialising every chunk (and keeps the provider's own field order and spacing).
 */
const rawTexts = new WeakMap<object, string>();

export function withRawText<T extends object>(value: T, raw: string): T {
  rawTexts.set(value, raw);
  return value;
}

export function rawTextOf(value: object): string | undefined {
  return rawTexts.get(value);
}
