import { badRequest } from "../errors";
import { parseTemplate, partialNames } from "./template";

/**
 * Partials are prompts too: `{{>footer}}` or `{{>footer@3}}` includes another prompt's text. They are loaded before
 * rendering (Mustache itself only takes a map), which is also where a missing partial or a cycle becomes a 400
 * instead of an empty string or an endless recursion.
 */

/** A partial as loaded: which prompt it is (cycles are judged per prompt, whatever the version) and its text. */
export interface LoadedPartial {
  slug: string;
  text: string;
}

export type PartialLoader = (name: string) => Promise<LoadedPartial | null>;

/** Bounds the work one render may cause (each partial is one cached read at most). */
const MAX_PARTIALS = 32;
const MAX_DEPTH = 8;

interface Walk {
  load: PartialLoader;
  partials: Record<string, string>;
  /** Slugs on the current path, root first. */
  path: string[];
}

async function visit(name: string, walk: Walk): Promise<void> {
  if (name in walk.partials) return; // fully explored already: a DFS cannot meet a cycle through it again
  const loaded = await walk.load(name);
  if (loaded === null)
    throw badRequest(
      `partial ${JSON.stringify(name)} not found (included by ${JSON.stringify(walk.path.at(-1))})`,
      "partial",
      "partial_not_found",
    );
  if (walk.path.includes(loaded.slug)) {
    throw badRequest(`partial cycle: ${[...walk.path, loaded.slug].join(" -> ")}`, "partial", "partial_cycle");
  }
  if (walk.path.length > MAX_DEPTH)
    throw badRequest(
      `partials nest deeper than ${MAX_DEPTH} levels at ${JSON.stringify(name)}`,
      "partial",
      "partial_too_deep",
    );
  if (Object.keys(walk.partials).length >= MAX_PARTIALS)
    throw badRequest(`more than ${MAX_PARTIALS} partials`, "partial", "partial_too_many");
  walk.path.push(loaded.slug);
  for (const child of partialNames(parseTemplate(loaded.text, `partial ${name}`))) await visit(child, walk);
  walk.path.pop();
  walk.partials[name] = loaded.text;
}

/** Every partial the texts include, transitively, as the name -> text map Mustache renders with. */
export async function collectPartials(
  rootSlug: string,
  texts: readonly string[],
  load: PartialLoader,
): Promise<Record<string, string>> {
  const walk: Walk = { load, partials: {}, path: [rootSlug] };
  for (const text of texts) {
    for (const name of partialNames(parseTemplate(text, "messages"))) await visit(name, walk);
  }
  return walk.partials;
}
