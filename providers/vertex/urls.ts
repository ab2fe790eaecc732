import { urlField } from "../shared/url-fields";
import { UnsupportedParameterError, type ResolvedTarget } from "../types";
import { VERTEX_DEFAULT_REGION } from "./options";

/** Who publishes a model in Vertex's Model Garden; each speaks its own wire format. */
export type VertexPublisher = "google" | "anthropic";

export type VertexMethod = "generateContent" | "streamGenerateContent" | "rawPredict" | "streamRawPredict" | "predict";

export interface VertexModel {
  publisher: VertexPublisher;
  /** The id Vertex knows, e.g. "gemini-2.5-flash" or "claude-sonnet-4-5@20250929". */
  id: string;
}

/**
 * Portkey's spelling names the publisher before a dot ("anthropic.claude-sonnet-4-5@20250929",
 * "google.gemini-2.5-pro"); without it, Claude models are recognised by name and everything else is Google's.
 */
export function vertexModel(model: string): VertexModel {
  const dot = model.indexOf(".");
  const prefix = dot > 0 ? model.slice(0, dot) : "";
  if (prefix === "anthropic" || prefix === "google") return { publisher: prefix, id: model.slice(dot + 1) };
  return { publisher: model.startsWith("claude") ? "anthropic" : "google", id: model };
}

/** The regional endpoint, or the global one (no region in the host) for `global`. */
export function vertexHost(region: string): string {
  return region === "global" ? "https://aiplatform.googleapis.com" : `https://${region}-aiplatform.googleapis.com`;
}

export function vertexProject(target: ResolvedTarget): string {
  const project = target.vertex?.projectId ?? target.vertex?.serviceAccount?.projectId;
  if (project === undefined) {
    throw new UnsupportedParameterError(
      "x-portkey-vertex-project-id",
      "vertex-ai needs a project: send x-portkey-vertex-project-id (or vertex_project_id), or a service account with a project_id",
      "invalid_request",
    );
  }
  return urlField("vertexProjectId", project, "vertex_project_id");
}

/**
 * `{host}/v1/projects/{p}/locations/{r}/publishers/{publisher}/models/{m}:{method}`; every caller value checked
 * against its pattern here, the last line before the URL exists. A custom_host replaces the host (tests, proxies).
 */
export function vertexUrl(target: ResolvedTarget, model: VertexModel, method: VertexMethod): string {
  const region = urlField("vertexRegion", target.vertex?.region ?? VERTEX_DEFAULT_REGION, "vertex_region");
  const host = target.customHost ?? vertexHost(region);
  const path = `/v1/projects/${vertexProject(target)}/locations/${region}/publishers/${model.publisher}/models/`;
  const url = `${host}${path}${urlField("vertexModel", model.id, "model")}:${method}`;
  return method === "streamGenerateContent" ? `${url}?alt=sse` : url;
}
