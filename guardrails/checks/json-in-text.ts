/**
 * JSON values written in a text (a model's answer): the whole text when it is JSON, the contents of ``` fences,
 * and every top-level `{...}` object found by one linear, string-aware brace scan. Portkey uses lazy regular
 * expressions for this, which cut nested objects at their first `}`; the scan keeps them whole.
 */
const MAX_CANDIDATES = 32;

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function fencedBlocks(text: string): string[] {
  const blocks: string[] = [];
  let open = text.indexOf("```");
  while (open !== -1 && blocks.length < MAX_CANDIDATES) {
    const bodyStart = text.indexOf("\n", open);
    if (bodyStart === -1) break;
    const close = text.indexOf("```", bodyStart);
    if (close === -1) break;
    blocks.push(text.slice(bodyStart + 1, close));
    open = text.indexOf("```", close + 3);
  }
  return blocks;
}

function braceObjects(text: string): string[] {
  const objects: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length && objects.length < MAX_CANDIDATES; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"' && depth > 0) inString = true;
    else if (ch === "{") {
      if (depth++ === 0) start = i;
    } else if (ch === "}" && depth > 0 && --depth === 0) objects.push(text.slice(start, i + 1));
  }
  return objects;
}

/** Parsed JSON values found in the text, most likely first. */
export function jsonValuesIn(text: string): unknown[] {
  const values: unknown[] = [];
  const candidates = [text.trim(), ...fencedBlocks(text).map((block) => block.trim()), ...braceObjects(text)];
  for (const candidate of candidates) {
    if (candidate === "" || values.length >= MAX_CANDIDATES) continue;
    const parsed = tryParse(candidate);
    if (parsed.ok) values.push(parsed.value);
  }
  return values;
}

export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
