import { secretFormat, type NewSecret } from "./secret-format";

/**
 * Admin API keys: `agk_admin_` + 43 base64url characters. The prefix differs from gateway keys' `pk-gw-`, and
 * neither is a prefix of the other, so each authenticator can refuse the other kind of key on sight: a gateway key
 * is never looked up as an admin key, an admin key is never looked up as (nor forwarded to a provider in place of)
 * a gateway key.
 */
export const ADMIN_KEY_PREFIX = "agk_admin_";
const adminKeys = secretFormat(ADMIN_KEY_PREFIX);

export type NewAdminKey = NewSecret;
export const generateAdminKey = adminKeys.generate;
export const hashAdminKey = adminKeys.hash;
/** Anything with the prefix is meant as an admin key: never a gateway key, never a provider key. */
export const looksLikeAdminKey = adminKeys.looksLike;
export const isAdminKeyShaped = adminKeys.isShaped;
