import Mustache from "mustache";
import { badRequest } from "../errors";

/**
 * Mustache for prompt text. Values are inserted as given: these are chat messages, not web pages, so HTML escaping
 * is off. It is switched off per render (Mustache's `escape` render option), never by assigning the library's
 * global `Mustache.escape`, which other code in the isolate may rely on.
 */

const RENDER_OPTIONS = { escape: (value: unknown): string => String(value) };

type Token = ReturnType<typeof Mustache.parse>[number];

/** Parsed once per distinct text (Mustache caches parses too); a syntax error is a 400 naming where it is. */
export function parseTemplate(text: string, where: string): Token[] {
  try {
    return Mustache.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw badRequest(`${where}: invalid template: ${reason}`, where, "invalid_template");
  }
}

export function renderTemplate(text: string, view: Record<string, unknown>, partials: Record<string, string>): string {
  return Mustache.render(text, view, partials, RENDER_OPTIONS);
}

const childrenOf = (token: Token): Token[] => (Array.isArray(token[4]) ? token[4] : []);

/** The partial names a template includes (`{{>slug}}`, `{{>slug@3}}`), inside sections too. */
export function partialNames(tokens: Token[]): string[] {
  const names: string[] = [];
  for (const token of tokens) {
    if (token[0] === ">") names.push(token[1].trim());
    names.push(...partialNames(childrenOf(token)));
  }
  return names;
}

export interface TemplateVariable {
  name: string;
  /** `{{var}}` at the top level must be given; sections and names inside sections may be absent. */
  required: boolean;
}

/** The root of a dotted name (`user.name` -> `user`); `.` (the current item) is no variable. */
const rootOf = (name: string): string | null => (name === "." ? null : (name.split(".")[0] ?? null));

function collect(tokens: Token[], nested: boolean, out: Map<string, boolean>): void {
  for (const token of tokens) {
    const [type, value] = token;
    const isValue = type === "name" || type === "&";
    if (isValue || type === "#" || type === "^") {
      const root = rootOf(value);
      if (root !== null) out.set(root, (out.get(root) ?? false) || (isValue && !nested));
    }
    if (type === "#" || type === "^") collect(childrenOf(token), true, out);
  }
}

/** The variables a template uses, in order of first use. Inside a section a name may be the item's own field. */
export function templateVariables(tokens: Token[]): TemplateVariable[] {
  const found = new Map<string, boolean>();
  collect(tokens, false, found);
  return [...found].map(([name, required]) => ({ name, required }));
}
