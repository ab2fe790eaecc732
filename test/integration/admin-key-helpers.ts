import { adminCall, json, type ListBody } from "./admin-helpers";
import { gateway } from "./harness";

/** Admin API keys through the admin API, and calls made with them. */

export interface AdminKeyBody {
  object: "admin_api_key";
  id: string;
  name: string;
  key_prefix: string;
  scopes: string[];
  status: "active" | "revoked" | "expired";
  expires_at: string | null;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
}
export type NewAdminKeyBody = AdminKeyBody & { key: string };
export type AdminKeyList = ListBody<AdminKeyBody>;

let counter = 0;

/** Mint a key with ADMIN_TOKEN (or with `as`, another admin credential). */
export async function mintAdminKey(
  scopes: string[],
  extra: Record<string, unknown> = {},
  as?: string,
): Promise<NewAdminKeyBody> {
  counter += 1;
  const body = { name: `admin-key-${counter}-${crypto.randomUUID().slice(0, 8)}`, scopes, ...extra };
  return json<NewAdminKeyBody>(await adminCall({ method: "POST", path: "/admin-keys", body, token: as }), 201);
}

/** Any request (an /admin path or /metrics) with `Authorization: Bearer <token>`, or none for null. */
export function callAs(token: string | null, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  return gateway({ method, path, headers, body });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
