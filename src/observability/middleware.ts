import { createMiddleware } from "hono/factory";
import type { AppContext, AppEnv } from "../context";
import { loggedBodies, requestBodyText } from "./bodies";
import { withLoggedPlaceholders } from "./logged-placeholders";
import { withPromptVariables } from "./prompt-variables";
import { buildEvent } from "./build";
import { sendEvent } from "./send";
import { secretsOf } from "./scrub";
import { parseTraceparent } from "./traceparent";
import { waitUntilOf } from "../wait-until";

/**
 * A stream that never settles (a client that neither reads nor hangs up) is logged anyway after this long, so
 * "one event per request" holds; its stream_error says so.
 */
export const STREAM_LOG_WAIT_MS = 15 * 60_000;

/** Resolves with true when `done` settled, false when the wait ran out first. */
async function settled(done: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      done.then(
        () => true as const,
        () => true as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Everything the event needs that must be read before the middleware returns. */
async function snapshot(c: AppContext, id: string, startedAtEpoch: number) {
  const { outcome } = c.var;
  const headersAt = performance.now();
  // Aborted when the client hung up before the answer was ready (needs the enable_request_signal flag in
  // production; without it the signal never fires and such requests log as served).
  const clientAborted = c.req.raw.signal.aborted;
  const withBodies = outcome.governance.logBodies ?? c.var.settings.logBodies;
  let responseText: string | null = null;
  if (withBodies && !outcome.route.stream && c.res.body) {
    // A non-streamed answer is already a complete string in memory: read it here and hand the client a copy. A
    // clone (tee) read later would wait for the client to read its branch, and a client that never reads would
    // leave the request unlogged.
    const res = c.res;
    responseText = await res.text();
    c.res = new Response(responseText, { status: res.status, statusText: res.statusText, headers: res.headers });
  }
  return { id, startedAtEpoch, headersAt, status: c.res.status, withBodies, responseText, clientAborted };
}

async function logRequest(c: AppContext, snap: Awaited<ReturnType<typeof snapshot>>): Promise<void> {
  const { outcome } = c.var;
  const { done } = outcome.stream;
  if (done && !(await settled(done, STREAM_LOG_WAIT_MS))) {
    // The logger's one write: the stream is not known to be complete (see StreamOutcome).
    outcome.stream.error ??= `stream still open after ${STREAM_LOG_WAIT_MS} ms when logged`;
  }
  const endedAt = performance.now();
  // Read after the response: routing fills outcome.redact with the stored keys it used (the caller never saw them).
  const secrets = secretsOf((name) => c.req.header(name), outcome.redact);
  const { logBodyMaxBytes } = c.var.settings;
  const bodies = snap.withBodies
    ? withPromptVariables(
        loggedBodies(
          withLoggedPlaceholders(requestBodyText(outcome.requestBody), outcome.loggedPlaceholders),
          withLoggedPlaceholders(snap.responseText ?? outcome.stream.streamedText ?? null, outcome.loggedPlaceholders),
          secrets,
          logBodyMaxBytes,
        ),
        outcome.prompt?.variables,
        secrets,
        logBodyMaxBytes,
      )
    : null;
  const event = buildEvent({
    id: snap.id,
    traceId: c.var.traceId,
    traceparent: parseTraceparent(c.req.header("traceparent")),
    method: c.req.method,
    path: c.req.path,
    startedAtEpoch: snap.startedAtEpoch,
    startedAt: c.var.startedAt,
    headersAt: snap.headersAt,
    endedAt,
    status: snap.status,
    clientAborted: snap.clientAborted,
    outcome,
    bodies,
    secrets,
  });
  await sendEvent(c.env, event);
}

/**
 * One log event per request, whatever happened: registered on /v1/* right after requestContext, it wraps auth,
 * validation, routing and 404s (Hono turns every throw into a response before control returns here). The event
 * is built and enqueued in waitUntil once the response is done (for streams, once the last byte went out), so
 * the client never waits for it, and nothing here touches D1.
 */
export function requestLogger() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const startedAtEpoch = Date.now();
    const id = crypto.randomUUID();
    try {
      await next();
    } finally {
      try {
        const snap = await snapshot(c, id, startedAtEpoch);
        waitUntilOf(c)(logRequest(c, snap).catch((error) => console.error(`request log ${id} failed`, error)));
      } catch (error) {
        // Logging must never turn a served request into a failure.
        console.error(`request log ${id} failed`, error);
      }
    }
  });
}
