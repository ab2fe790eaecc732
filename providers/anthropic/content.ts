import * as z from "zod";
import type { UserContentPart } from "../../schema/openai-request";
import { UnsupportedParameterError } from "../types";
import type { CacheControl, DocumentBlockParam, ImageBlockParam, TextBlockParam, UserBlock } from "./request-types";

/** Image types the Messages API accepts. */
const IMAGE_MEDIA_TYPES: ReadonlySet<string> = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

const cacheControlSchema = z.object({ type: z.literal("ephemeral"), ttl: z.enum(["5m", "1h"]).optional() });

/**
 * Portkey-style prompt caching: a content part (or tool) may carry Anthropic's `cache_control`; the OpenAI schema
 * keeps unknown fields, so it reaches us and is forwarded. A malformed one is the caller's error, not silence.
 */
export function readCacheControl(value: unknown, param: string): CacheControl | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = cacheControlSchema.safeParse(value);
  if (!parsed.success) {
    throw new UnsupportedParameterError(
      param,
      `${param} must be {"type":"ephemeral"} with an optional ttl of "5m" or "1h"`,
    );
  }
  return parsed.data.ttl ? { type: "ephemeral", ttl: parsed.data.ttl } : { type: "ephemeral" };
}

export function textBlock(text: string, cacheControl?: CacheControl): TextBlockParam {
  return cacheControl ? { type: "text", text, cache_control: cacheControl } : { type: "text", text };
}

interface DataUrl {
  mediaType: string;
  data: string;
}

/** `data:<media type>[;param]*;base64,<data>`; only base64 data URLs are usable by Anthropic. */
export function parseBase64DataUrl(url: string): DataUrl | null {
  if (!url.startsWith("data:")) return null;
  const comma = url.indexOf(",");
  if (comma === -1) return null;
  const [mediaType = "", ...params] = url.slice(5, comma).split(";");
  if (!params.some((param) => param.trim().toLowerCase() === "base64")) return null;
  const normalised = mediaType.trim().toLowerCase();
  return { mediaType: normalised === "image/jpg" ? "image/jpeg" : normalised, data: url.slice(comma + 1) };
}

const isHttpUrl = (url: string) => /^https?:\/\//i.test(url);

function imageFromUrl(url: string, param: string): ImageBlockParam {
  if (isHttpUrl(url)) return { type: "image", source: { type: "url", url } };
  const dataUrl = parseBase64DataUrl(url);
  if (!dataUrl) {
    throw new UnsupportedParameterError(param, "Anthropic accepts images as http(s) URLs or base64 data URLs only");
  }
  if (!IMAGE_MEDIA_TYPES.has(dataUrl.mediaType)) {
    throw new UnsupportedParameterError(
      param,
      `image type "${dataUrl.mediaType}" is not supported by Anthropic (jpeg, png, gif, webp)`,
    );
  }
  return { type: "image", source: { type: "base64", media_type: dataUrl.mediaType, data: dataUrl.data } };
}

function decodeBase64Utf8(data: string, param: string): string {
  try {
    const binary = atob(data);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UnsupportedParameterError(param, "file_data is not valid base64-encoded UTF-8 text");
  }
}

type FilePart = Extract<UserContentPart, { type: "file" }>;

/**
 * OpenAI file parts -> Anthropic document (PDF, plain text) or image blocks. `file_data` is a base64 data URL
 * (a bare base64 string is accepted when the filename ends in .pdf); an http(s) URL becomes a URL document
 * (Anthropic fetches PDFs by URL). `file_id` names an OpenAI upload, which Anthropic cannot see.
 */
function fileBlock(part: FilePart, param: string): DocumentBlockParam | ImageBlockParam {
  const { file_data: fileData, file_id: fileId, filename } = part.file;
  if (fileData === undefined || fileData === "") {
    const why = fileId ? "file_id refers to an OpenAI upload, which Anthropic cannot read" : "file_data is missing";
    throw new UnsupportedParameterError(`${param}.file`, `${why}; send the file as a base64 data URL in file_data`);
  }
  const withTitle = (block: DocumentBlockParam): DocumentBlockParam =>
    filename ? { ...block, title: filename } : block;
  if (isHttpUrl(fileData)) return withTitle({ type: "document", source: { type: "url", url: fileData } });
  const dataUrl =
    parseBase64DataUrl(fileData) ??
    (filename?.toLowerCase().endsWith(".pdf") ? { mediaType: "application/pdf", data: fileData } : null);
  if (!dataUrl) {
    throw new UnsupportedParameterError(`${param}.file.file_data`, "file_data must be a base64 data URL");
  }
  if (dataUrl.mediaType === "application/pdf") {
    return withTitle({
      type: "document",
      source: { type: "base64", media_type: "application/pdf", data: dataUrl.data },
    });
  }
  if (dataUrl.mediaType === "text/plain") {
    const text = decodeBase64Utf8(dataUrl.data, `${param}.file.file_data`);
    return withTitle({ type: "document", source: { type: "text", media_type: "text/plain", data: text } });
  }
  if (IMAGE_MEDIA_TYPES.has(dataUrl.mediaType)) {
    return { type: "image", source: { type: "base64", media_type: dataUrl.mediaType, data: dataUrl.data } };
  }
  throw new UnsupportedParameterError(
    `${param}.file.file_data`,
    `file type "${dataUrl.mediaType}" is not supported by Anthropic (PDF, plain text, jpeg, png, gif, webp)`,
  );
}

/** One OpenAI user content part -> one Anthropic block; `param` is its path, e.g. `messages[2].content[1]`. */
export function userPartToBlock(part: UserContentPart, param: string): UserBlock | null {
  const cacheControl = readCacheControl(part.cache_control, `${param}.cache_control`);
  switch (part.type) {
    case "text":
      // Anthropic rejects empty text blocks.
      return part.text === "" ? null : textBlock(part.text, cacheControl);
    case "image_url": {
      const block = imageFromUrl(part.image_url.url, `${param}.image_url.url`);
      return cacheControl ? { ...block, cache_control: cacheControl } : block;
    }
    case "file": {
      const block = fileBlock(part, param);
      return cacheControl ? { ...block, cache_control: cacheControl } : block;
    }
    case "input_audio":
      throw new UnsupportedParameterError(param, "audio input is not supported by Anthropic");
  }
}
