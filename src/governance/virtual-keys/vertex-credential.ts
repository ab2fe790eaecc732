import { ServiceAccountError, looksLikeServiceAccountJson, parseServiceAccount } from "../../../providers/vertex";
import type { ProviderId } from "../../../schema/provider-ids";
import { urlFieldProblem, type UrlFieldKind } from "../../../schema/url-fields";
import { badRequest } from "../../errors";
import type { ProviderCredential } from "../../vault/credential";

/** The Vertex options of a virtual key's admin body. */
export interface VertexCredentialInput {
  vertex_project_id?: string | null;
  vertex_region?: string | null;
}

function checked(value: string, field: string, kind: UrlFieldKind): string {
  const problem = urlFieldProblem(kind, value);
  if (problem) throw badRequest(`${field}: ${problem}`, field, "invalid_parameter");
  return value;
}

/**
 * A Vertex AI virtual key stores, sealed together: `api_key`, the service account's key file (its JSON text; an
 * OAuth access token is accepted too, for short-lived keys), and optionally `vertex_project_id` and
 * `vertex_region`. A key file is checked now (400 on `api_key`, never quoting it), and a project is required
 * unless the key file names one. Other providers take no vertex_* option.
 */
export function checkVertexCredential(
  provider: ProviderId,
  input: VertexCredentialInput & { api_key: string },
  credential: ProviderCredential,
): void {
  const { vertex_project_id: project, vertex_region: region } = input;
  if (provider !== "vertex-ai") {
    if (project || region)
      throw badRequest(
        `vertex_* options only apply to vertex-ai, not ${provider}`,
        "vertex_project_id",
        "invalid_request",
      );
    return;
  }
  let accountProject: string | undefined;
  if (looksLikeServiceAccountJson(input.api_key)) {
    try {
      accountProject = parseServiceAccount(input.api_key).projectId;
    } catch (error) {
      if (!(error instanceof ServiceAccountError)) throw error;
      throw badRequest(
        `api_key: for vertex-ai, the service account's key file ${error.message}`,
        "api_key",
        "invalid_parameter",
      );
    }
  }
  if (project) credential.vertex_project_id = checked(project, "vertex_project_id", "vertexProjectId");
  if (region) credential.vertex_region = checked(region, "vertex_region", "vertexRegion");
  if (!project && !accountProject) {
    throw badRequest(
      "vertex_project_id: required for vertex-ai unless the key file has a project_id",
      "vertex_project_id",
      "invalid_request",
    );
  }
}
