/*
 * Tool-call arguments are JSON text. Output hooks judge them as text (a PII check finds an address in them like
 * anywhere else); a redaction is applied to each string value on its own, so keys, numbers and the structure
 * stay as they were and the arguments remain valid JSON for the client's tool.
 */

type Transform = (text: string) => Promise<string>;

async function mapStrings(value: unknown, transform: Transform): Promise<unknown> {
  if (typeof value === "string") return transform(value);
  if (Array.isArray(value)) return Promise.all(value.map((item: unknown) => mapStrings(item, transform)));
  if (typeof value !== "object" || value === null) return value;
  const entries = await Promise.all(
    Object.entries(value).map(async ([key, child]) => [key, await mapStrings(child, transform)] as const),
  );
  return Object.fromEntries(entries);
}

/**
 * The arguments with every JSON string value passed through `transform`; arguments that are not JSON (a model
 * may send broken JSON) are transformed as one text, since nothing structured can be kept there.
 */
export async function transformArguments(args: string, transform: Transform): Promise<string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return transform(args);
  }
  return JSON.stringify(await mapStrings(parsed, transform));
}

/** Placeholders restored inside arguments JSON: each original is JSON-escaped, so the text stays valid JSON. */
export function restoreArguments(args: string, restore: ReadonlyMap<string, string>): string {
  let out = args;
  for (const [placeholder, original] of restore)
    out = out.split(placeholder).join(JSON.stringify(original).slice(1, -1));
  return out;
}
