import type { VertexOptions } from "../../../providers/vertex";
import { looksLikeServiceAccountJson, parseServiceAccount } from "../../../providers/vertex";
import type { ProviderCredential } from "../../vault/credential";

/**
 * A Vertex AI virtual key's options: its stored key file (checked when it was saved) and its stored project and
 * region; the request's project and region only fill what the key leaves open. The key file never comes from
 * the request: the stored credential is the one that is used. A stored api_key that is not JSON is an access
 * token, sent as it is (the target's apiKey).
 */
export function storedVertexOptions(credential: ProviderCredential, request: VertexOptions | undefined): VertexOptions {
  const out: VertexOptions = {};
  const projectId = credential.vertex_project_id ?? request?.projectId;
  const region = credential.vertex_region ?? request?.region;
  if (projectId !== undefined) out.projectId = projectId;
  if (region !== undefined) out.region = region;
  if (looksLikeServiceAccountJson(credential.api_key)) out.serviceAccount = parseServiceAccount(credential.api_key);
  return out;
}
