import type { UserContentPart } from "../../schema/openai-request";
import { UnsupportedParameterError } from "../types";
import type { GeminiInlineData, GeminiRequestPart } from "./wire-request";

const DATA_URL = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s;

/** `data:<mime>;base64,<data>` -> inlineData. Only base64 data URLs carry binary safely, so others are refused. */
export function parseDataUrl(url: string, param: string): GeminiInlineData | null {
  if (!url.startsWith("data:")) return null;
  const match = DATA_URL.exec(url);
  const mimeType = match?.[1];
  const params = match?.[2] ?? "";
  const data = match?.[3];
  if (!mimeType || data === undefined || !params.split(";").includes("base64")) {
    throw new UnsupportedParameterError(param, "data URLs must be base64-encoded: data:<mime type>;base64,<data>");
  }
  return { mimeType: mimeType.toLowerCase(), data };
}

const MIME_BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  heif: "image/heif",
  pdf: "application/pdf",
};

/** Gemini's fileData needs a MIME type; guess it from the URL path's extension, defaulting to JPEG. */
export function guessImageMimeType(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // Not a parseable URL: fall back to the raw string.
  }
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (extension && MIME_BY_EXTENSION[extension]) ?? "image/jpeg";
}

function imagePart(url: string, param: string): GeminiRequestPart {
  const inline = parseDataUrl(url, param);
  if (inline) return { inlineData: inline };
  if (/^https?:\/\//i.test(url)) return { fileData: { mimeType: guessImageMimeType(url), fileUri: url } };
  throw new UnsupportedParameterError(param, "image_url.url must be an https URL or a base64 data URL");
}

/** One OpenAI user content part -> one Gemini part; `param` is the part's path for error messages. */
export function userPartToGemini(part: UserContentPart, param: string): GeminiRequestPart | null {
  switch (part.type) {
    case "text":
      return part.text === "" ? null : { text: part.text };
    case "image_url":
      return imagePart(part.image_url.url, `${param}.image_url.url`);
    case "input_audio":
      return { inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } };
    case "file": {
      const fileData = part.file.file_data;
      const inline = fileData === undefined ? null : parseDataUrl(fileData, `${param}.file.file_data`);
      if (inline) return { inlineData: inline };
      throw new UnsupportedParameterError(
        `${param}.file`,
        "google accepts files only as base64 data URLs in file.file_data (file_id is not supported)",
      );
    }
  }
}
