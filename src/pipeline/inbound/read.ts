import type { AppContext } from "../../context";
import { startReadingBody } from "../parse";
import type { Inbound } from "./types";

/**
 * The parse step's body for an inbound format: read as for any /v1 request, then translated to the chat request
 * (validation errors surface where the body is awaited, like bad JSON). The inbound is remembered on the request
 * for the attempt (native calls) and the respond step.
 */
export function startReadingInbound(c: AppContext, inbound: Inbound): Promise<unknown> {
  c.set("inbound", inbound);
  const body = startReadingBody(c).then((json) => inbound.toChat(json));
  body.catch(() => {});
  return body;
}
