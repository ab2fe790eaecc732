import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError, invert, not } from "./common";

const parameters = z.strictObject({
  /** Accepted for Portkey configs and ignored: this check never resolves or fetches anything on the hot path. */
  onlyDNS: z.boolean().optional(),
  not,
  failOnError,
});

const SCHEMES = ["https://", "http://"];
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}>]+$/;
const MAX_URLS = 100;

/** http(s) URLs in the text: from the scheme to the next whitespace, without trailing sentence punctuation. */
export function urlsIn(text: string): string[] {
  const urls: string[] = [];
  const lower = text.toLowerCase();
  for (let from = 0; urls.length < MAX_URLS;) {
    const starts = SCHEMES.map((scheme) => lower.indexOf(scheme, from)).filter((at) => at !== -1);
    if (starts.length === 0) break;
    const start = Math.min(...starts);
    let end = start;
    while (end < text.length && !/\s/.test(text[end] ?? " ")) end++;
    urls.push(text.slice(start, end).replace(TRAILING_PUNCTUATION, ""));
    from = end;
  }
  return urls;
}

/** Syntax only: parses as a URL with a host that is `localhost`, an IP literal or a dotted name of valid labels. */
export function isValidUrl(candidate: string): boolean {
  if (!URL.canParse(candidate)) return false;
  const { hostname } = new URL(candidate);
  if (hostname === "localhost" || hostname.startsWith("[")) return true;
  const labels = hostname.split(".");
  return labels.length >= 2 && labels.every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
}

/**
 * Passes when every http(s) URL in the text is well formed (a text without URLs passes, as in Portkey). Portkey
 * fetches each URL (or resolves its name with `onlyDNS`); checking syntax only keeps the answer path free of
 * network calls to hosts a model made up. Only counts are reported, not the URLs.
 */
export const validUrls: CheckDefinition<typeof parameters> = {
  id: "default.validUrls",
  parameters,
  phases: ["input", "output"],
  run(context, p) {
    const urls = urlsIn(context.text);
    const invalid = urls.filter((url) => !isValidUrl(url)).length;
    return {
      verdict: invert(invalid === 0, p.not),
      data: { urls: urls.length, invalidUrls: invalid, not: p.not ?? false },
    };
  },
};
