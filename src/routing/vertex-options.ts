import type { ConfigNode } from "../../schema/config";
import { urlFieldProblem, type UrlFieldKind } from "../../schema/url-fields";
import { ServiceAccountError, parseServiceAccount, type VertexOptions } from "../../providers/vertex";
import { badRequest } from "../errors";

/** Portkey's Vertex headers. */
export const VERTEX_HEADERS = {
  projectId: "x-portkey-vertex-project-id",
  region: "x-portkey-vertex-region",
  serviceAccountJson: "x-portkey-vertex-service-account-json",
} as const;

/** A project or region, held to its URL pattern where it comes in, so a bad one is a 400 naming where it was. */
function urlValue(value: string | undefined, kind: UrlFieldKind, param: string): string | undefined {
  const problem = value === undefined ? null : urlFieldProblem(kind, value);
  if (problem) throw badRequest(`${param}: ${problem}`, param, "invalid_parameter");
  return value;
}

/** The key file checked now; the message names where it came from and never quotes it. */
export function serviceAccountFrom(input: unknown, param: string): VertexOptions["serviceAccount"] {
  try {
    return parseServiceAccount(input);
  } catch (error) {
    if (!(error instanceof ServiceAccountError)) throw error;
    throw badRequest(`${param}: ${error.message}`, param, "invalid_parameter");
  }
}

function compact(options: VertexOptions): VertexOptions {
  const out: VertexOptions = {};
  if (options.projectId !== undefined) out.projectId = options.projectId;
  if (options.region !== undefined) out.region = options.region;
  if (options.serviceAccount !== undefined) out.serviceAccount = options.serviceAccount;
  return out;
}

/** The x-portkey-vertex-* headers, checked. */
export function vertexFromHeaders(header: (name: string) => string | undefined): VertexOptions | undefined {
  const json = header(VERTEX_HEADERS.serviceAccountJson)?.trim();
  const out = compact({
    projectId: urlValue(
      header(VERTEX_HEADERS.projectId)?.trim() || undefined,
      "vertexProjectId",
      VERTEX_HEADERS.projectId,
    ),
    region: urlValue(header(VERTEX_HEADERS.region)?.trim() || undefined, "vertexRegion", VERTEX_HEADERS.region),
    serviceAccount: json ? serviceAccountFrom(json, VERTEX_HEADERS.serviceAccountJson) : undefined,
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A Vertex target's options: the config target's `vertex_*` fields over the headers', field by field. */
export function vertexOptionsOf(node: ConfigNode, headers: VertexOptions | undefined, path: string): VertexOptions {
  const json = node.vertex_service_account_json;
  return compact({
    projectId: node.vertex_project_id ?? headers?.projectId,
    region: node.vertex_region ?? headers?.region,
    serviceAccount:
      json !== undefined ? serviceAccountFrom(json, `${path}.vertex_service_account_json`) : headers?.serviceAccount,
  });
}
