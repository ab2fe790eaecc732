import type { ServiceAccount } from "./service-account";

/**
 * Where and as whom a Vertex AI target calls: a project and a region (both end up in the URL, and are checked
 * against schema/url-fields.ts wherever they come in), and a service account whose key mints OAuth tokens.
 * Without a service account the target's apiKey is used as a ready-made OAuth access token (`gcloud auth
 * print-access-token`), as Portkey does.
 */
export interface VertexOptions {
  projectId?: string;
  region?: string;
  serviceAccount?: ServiceAccount;
}

export const VERTEX_DEFAULT_REGION = "us-central1";
