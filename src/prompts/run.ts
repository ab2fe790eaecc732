import type { PromptMessage } from "../../schema/prompts";
import { GatewayError } from "../errors";
import type { PartialLoader } from "./partials";
import { collectPartials } from "./partials";
import { parsePromptRef, type PromptRef } from "./ref";
import { messageTexts, partialText, renderMessages, variableView } from "./render";
import { resolveVersion, type Chooser } from "./resolve";
import { loadPrompt, loadPromptVersion } from "./store";
import type { ChosenVersion, PromptSnapshot, PromptVersion } from "./types";

/** A prompt ready to run: which version (and label) was chosen, and its messages rendered. */
export interface PreparedPrompt {
  prompt: PromptSnapshot;
  chosen: ChosenVersion;
  version: PromptVersion;
  messages: PromptMessage[];
}

const promptNotFound = (text: string) =>
  new GatewayError(404, `prompt ${JSON.stringify(text)} not found`, { code: "prompt_not_found" });

async function versionFor(
  env: Env,
  ref: PromptRef,
  chooser: Chooser,
): Promise<{ prompt: PromptSnapshot; chosen: ChosenVersion; version: PromptVersion } | null> {
  const prompt = await loadPrompt(env, ref.key);
  if (!prompt) return null;
  const chosen = resolveVersion(prompt, ref.selector, chooser);
  const version = await loadPromptVersion(env, prompt.id, chosen.version);
  // Versions are never deleted: a version the prompt row counts is a broken invariant, not a client error.
  if (!version) throw new Error(`prompt ${prompt.id} has no stored version ${chosen.version}`);
  return { prompt, chosen, version };
}

/** Partials resolve like prompt ids (`footer`, `footer@3`, `footer@staging`), for the same user. */
function partialLoader(env: Env, chooser: Chooser): PartialLoader {
  return async (name) => {
    const ref = parsePromptRef(name);
    if (!ref) return null;
    try {
      const found = await versionFor(env, ref, chooser);
      return found ? { slug: found.prompt.slug, text: partialText(found.version.messages) } : null;
    } catch (error) {
      if (error instanceof GatewayError && error.status === 404) return null; // reported as a missing partial
      throw error;
    }
  };
}

/**
 * Resolve `slug[@version|@label|@latest]`, choose the version (weighted labels are drawn, sticky per user), check the
 * variables and render the messages with their partials. 404 for an unknown prompt, version or empty label; 400
 * for a missing required variable, a missing partial or a partial cycle.
 */
export async function preparePrompt(
  env: Env,
  idText: string,
  variables: Record<string, unknown>,
  chooser: Chooser,
): Promise<PreparedPrompt> {
  const ref = parsePromptRef(idText);
  const found = ref ? await versionFor(env, ref, chooser) : null;
  if (!found) throw promptNotFound(idText);
  const view = variableView(found.version.variables, variables);
  const partials = await collectPartials(
    found.prompt.slug,
    messageTexts(found.version.messages),
    partialLoader(env, chooser),
  );
  return { ...found, messages: renderMessages(found.version.messages, view, partials) };
}
