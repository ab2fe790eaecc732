import { GatewayError } from "../errors";
import type { VersionSelector } from "./ref";
import type { ChosenVersion, PromptSnapshot } from "./types";
import { chooseVersion, type RandomSource } from "./weighted";

/** The label a prompt id without a suffix runs, when it is set. */
export const DEFAULT_LABEL = "production";

/** Who the request is for, and the random source of a split for anonymous requests (tests inject one). */
export interface Chooser {
  user: string | null;
  random: RandomSource;
}

const noVersion = (slug: string, version: number) =>
  new GatewayError(404, `prompt ${JSON.stringify(slug)} has no version ${version}`, {
    code: "prompt_version_not_found",
  });

const emptyLabel = (slug: string, label: string) =>
  new GatewayError(404, `label ${JSON.stringify(label)} of prompt ${JSON.stringify(slug)} holds no version`, {
    code: "prompt_label_not_set",
  });

/**
 * The version a selector names: `@n` that version, `@latest` the newest, `@label` the label's version (a split is
 * drawn), no suffix the production label when it is set, else the newest.
 */
export function resolveVersion(prompt: PromptSnapshot, selector: VersionSelector, chooser: Chooser): ChosenVersion {
  switch (selector.kind) {
    case "version":
      if (selector.version > prompt.latestVersion) throw noVersion(prompt.slug, selector.version);
      return { version: selector.version, label: null };
    case "latest":
      return { version: prompt.latestVersion, label: null };
    case "label": {
      const shares = prompt.labels.get(selector.label);
      if (!shares || shares.length === 0) throw emptyLabel(prompt.slug, selector.label);
      return {
        version: chooseVersion(prompt.id, selector.label, shares, chooser.user, chooser.random),
        label: selector.label,
      };
    }
    case "default": {
      const shares = prompt.labels.get(DEFAULT_LABEL);
      if (!shares || shares.length === 0) return { version: prompt.latestVersion, label: null };
      return {
        version: chooseVersion(prompt.id, DEFAULT_LABEL, shares, chooser.user, chooser.random),
        label: DEFAULT_LABEL,
      };
    }
  }
}
