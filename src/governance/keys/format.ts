import { secretFormat, type NewSecret } from "./secret-format";

/**
 * Gateway API keys: `pk-gw-` + 43 base64url characters. The fixed prefix lets the auth middleware tell a gateway
 * key from a provider key in `Authorization` (passthrough mode) and lets secret scanners recognise leaked keys.
 */
export const GATEWAY_KEY_PREFIX = "pk-gw-";
const gatewayKeys = secretFormat(GATEWAY_KEY_PREFIX);

export type NewGatewayKey = NewSecret;
export const generateGatewayKey = gatewayKeys.generate;
export const hashGatewayKey = gatewayKeys.hash;
/** Anything with the prefix: never forwarded to a provider, even when malformed. */
export const looksLikeGatewayKey = gatewayKeys.looksLike;
export const isGatewayKeyShaped = gatewayKeys.isShaped;
