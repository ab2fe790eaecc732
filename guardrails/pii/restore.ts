/**
 * Turns placeholders (`[EMAIL_ADDRESS_1]`) in an answer back into the originals. Linear: each `[` looks ahead at
 * most the longest placeholder's length. The streaming form holds back only a tail that could still become a
 * placeholder, so at most `longest - 1` characters wait for the next chunk.
 */
export interface PlaceholderRestorer {
  /** Restored text that is safe to send now. */
  push(chunk: string): string;
  /** Whatever was held back, restored where it completes a placeholder (end of stream). */
  flush(): string;
}

interface Scan {
  output: string;
  held: string;
}

const longestKey = (map: ReadonlyMap<string, string>): number => Math.max(0, ...[...map.keys()].map((k) => k.length));

function allPrefixes(map: ReadonlyMap<string, string>): Set<string> {
  const prefixes = new Set<string>();
  for (const key of map.keys()) for (let n = 1; n < key.length; n++) prefixes.add(key.slice(0, n));
  return prefixes;
}

/** The placeholder starting at `open` (a `[`), if the text has one there. */
function placeholderAt(
  text: string,
  open: number,
  map: ReadonlyMap<string, string>,
  longest: number,
): string | undefined {
  const limit = Math.min(text.length, open + longest);
  for (let i = open + 1; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 93) return map.has(text.slice(open, i + 1)) ? text.slice(open, i + 1) : undefined; // "]"
    if (c === 91) return undefined; // "[": a placeholder has no inner bracket
  }
  return undefined;
}

function scan(
  text: string,
  map: ReadonlyMap<string, string>,
  prefixes: ReadonlySet<string> | undefined,
  longest: number,
): Scan {
  const parts: string[] = [];
  let cursor = 0;
  let open = text.indexOf("[");
  while (open !== -1) {
    const placeholder = placeholderAt(text, open, map, longest);
    if (placeholder !== undefined) {
      parts.push(text.slice(cursor, open), map.get(placeholder) ?? placeholder);
      cursor = open + placeholder.length;
    } else if (prefixes && text.length - open < longest && prefixes.has(text.slice(open))) {
      parts.push(text.slice(cursor, open));
      return { output: parts.join(""), held: text.slice(open) };
    }
    open = text.indexOf("[", Math.max(open + 1, cursor));
  }
  parts.push(text.slice(cursor));
  return { output: parts.join(""), held: "" };
}

export function restorePlaceholders(text: string, map: ReadonlyMap<string, string>): string {
  if (map.size === 0) return text;
  return scan(text, map, undefined, longestKey(map)).output;
}

export function createPlaceholderRestorer(map: ReadonlyMap<string, string>): PlaceholderRestorer {
  const longest = longestKey(map);
  const prefixes = allPrefixes(map);
  let held = "";
  return {
    push(chunk) {
      if (map.size === 0) return chunk;
      const result = scan(held + chunk, map, prefixes, longest);
      held = result.held;
      return result.output;
    },
    flush() {
      const rest = held;
      held = "";
      return rest;
    },
  };
}
