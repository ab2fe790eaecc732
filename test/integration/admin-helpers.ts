import { expect } from "vitest";
import { gateway } from "./harness";

/** The ADMIN_TOKEN binding vitest.config.ts gives the test Worker. */
export const ADMIN_TOKEN = "test-admin-token";

export interface AdminCall {
  method?: string;
  path: string;
  body?: unknown;
  token?: string | null;
}

/** Call /admin with the test admin token (token: null sends no Authorization header). */
export function adminCall({ method = "GET", path, body, token = ADMIN_TOKEN }: AdminCall): Promise<Response> {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  return gateway({ method, path: `/admin${path}`, headers, body });
}

export interface ErrorEnvelope {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export async function expectError(
  res: Response,
  status: number,
  error: Partial<ErrorEnvelope> = {},
): Promise<ErrorEnvelope> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: ErrorEnvelope };
  expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(body.error).toMatchObject(error);
  return body.error;
}

export interface ConfigBody {
  object: "config";
  id: string;
  slug: string;
  name: string;
  version: number;
  archived: boolean;
  created_at: string;
  updated_at: string;
  config: Record<string, unknown>;
}

export interface ListBody<T> {
  object: "list";
  data: T[];
  next_cursor: string | null;
}

export async function json<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

let counter = 0;
/** Slugs unique per test run: storage is shared by the tests of a file. */
export function uniqueSlug(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A valid config in the Portkey format (fallback over two targets). */
export function sampleConfig(model = "gpt-4o-mini"): Record<string, unknown> {
  return {
    strategy: { mode: "fallback" },
    targets: [
      { provider: "openai", api_key: "sk-test-primary-1111", override_params: { model } },
      { provider: "anthropic", api_key: "sk-ant-test-backup-2222", override_params: { model: "claude-sonnet-4-5" } },
    ],
  };
}

export async function createConfig(slug: string, config: Record<string, unknown> = sampleConfig(), name?: string) {
  return json<ConfigBody>(await adminCall({ method: "POST", path: "/configs", body: { slug, name, config } }), 201);
}
