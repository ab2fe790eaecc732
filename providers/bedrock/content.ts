import type { UserContentPart } from "../../schema/openai-request";
import { parseBase64DataUrl, readCacheControl } from "../anthropic/content";
import { UnsupportedParameterError } from "../types";
import type { CachePointBlock, ContentBlock, ImageBlock, ImageFormat } from "./request-types";

const IMAGE_FORMATS: Readonly<Record<string, ImageFormat>> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
};

export const CACHE_POINT: CachePointBlock = { cachePoint: { type: "default" } };

/** The format Converse wants for an S3 image, from the object's extension. */
function formatFromExtension(uri: string, param: string): ImageFormat {
  const extension = /\.([a-z]+)$/i.exec(uri)?.[1]?.toLowerCase();
  const format = extension === "jpg" ? "jpeg" : extension;
  if (format === "png" || format === "jpeg" || format === "gif" || format === "webp") return format;
  throw new UnsupportedParameterError(param, "an s3:// image must end in .png, .jpg, .jpeg, .gif or .webp");
}

/**
 * Converse takes image bytes (base64 in JSON) or an S3 location; it does not fetch http(s) URLs, and the gateway
 * does not fetch them on a caller's behalf (that would make it an open proxy).
 */
function imageBlock(url: string, param: string): ImageBlock {
  if (url.startsWith("s3://"))
    return { image: { format: formatFromExtension(url, param), source: { s3Location: { uri: url } } } };
  const dataUrl = parseBase64DataUrl(url);
  if (!dataUrl) {
    throw new UnsupportedParameterError(
      param,
      "Bedrock accepts images as base64 data URLs or s3:// URIs, not http(s) URLs",
    );
  }
  const format = IMAGE_FORMATS[dataUrl.mediaType];
  if (!format) {
    throw new UnsupportedParameterError(
      param,
      `image type "${dataUrl.mediaType}" is not supported by Bedrock (png, jpeg, gif, webp)`,
    );
  }
  return { image: { format, source: { bytes: dataUrl.data } } };
}

/** One OpenAI user content part -> Converse blocks (a cache point follows a part that carries cache_control). */
export function userPartBlocks(part: UserContentPart, param: string): ContentBlock[] {
  const cache = readCacheControl(part.cache_control, `${param}.cache_control`) ? [CACHE_POINT] : [];
  switch (part.type) {
    case "text":
      // Converse rejects blank text blocks.
      return part.text.trim() === "" ? cache : [{ text: part.text }, ...cache];
    case "image_url":
      return [imageBlock(part.image_url.url, `${param}.image_url.url`), ...cache];
    case "file":
      throw new UnsupportedParameterError(param, "file parts are not supported on Bedrock by the gateway yet");
    case "input_audio":
      throw new UnsupportedParameterError(param, "audio input is not supported by Bedrock's Converse API");
  }
}
