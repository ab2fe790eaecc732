/**
 * Turns text into lowercase words for phrase matching, undoing the cheap disguises: compatibility forms (full-width
 * letters), zero-width characters, leetspeak inside words (`1gn0re`), and letters spaced out (`i g n o r e`).
 */
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const LEET: Readonly<Record<string, string>> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "@": "a",
  $: "s",
};

const hasLetter = (word: string): boolean => /[a-z]/.test(word);

function unLeet(word: string): string {
  if (!hasLetter(word) || !/[0-9@$]/.test(word)) return word;
  return [...word].map((ch) => LEET[ch] ?? ch).join("");
}

/** `i g n o r e   a l l` -> `ignore all`: four or more single letters in a row are joined into one word. */
function joinSpacedLetters(words: string[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= 4) out.push(run.join(""));
    else out.push(...run);
    run = [];
  };
  for (const word of words) {
    if (word.length === 1 && hasLetter(word)) run.push(word);
    else {
      flush();
      out.push(word);
    }
  }
  flush();
  return out;
}

export function normalizeWords(text: string): string[] {
  const plain = text.normalize("NFKC").toLowerCase().replace(ZERO_WIDTH, "");
  const rough = plain.split(/[^a-z0-9@$]+/).filter((w) => w.length > 0);
  return joinSpacedLetters(rough.map(unLeet));
}
