/** Character classes shared by the detectors: plain code-unit tests, so every scanner stays linear and regex-free. */
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const isUpper = (c: number): boolean => c >= 65 && c <= 90;
export const isLower = (c: number): boolean => c >= 97 && c <= 122;
export const isLetter = (c: number): boolean => isUpper(c) || isLower(c);
export const isAlnum = (c: number): boolean => isDigit(c) || isLetter(c);
export const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** A letter, digit or underscore: a finding glued to one of these is part of a larger token, not PII on its own. */
export const isWordChar = (c: number): boolean => isAlnum(c) || c === 95;

/** The code unit at `index`, or NaN outside the text (NaN fails every class test above). */
export const codeAt = (text: string, index: number): number =>
  index >= 0 && index < text.length ? text.charCodeAt(index) : NaN;
