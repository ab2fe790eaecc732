/**
 * The gateway could not obtain the credential an upstream call needs (an OAuth token exchange was refused or its
 * endpoint failed). `status` is what the client gets: 401 for a refused credential, 403 for a forbidden one, 502
 * when the token endpoint itself failed. Messages never quote the credential.
 */
export class UpstreamCredentialError extends Error {
  override readonly name = "UpstreamCredentialError";
  constructor(
    readonly status: 401 | 403 | 502,
    message: string,
    /** The envelope's `code`, e.g. "invalid_service_account". */
    readonly code: string,
  ) {
    super(message);
  }
}
