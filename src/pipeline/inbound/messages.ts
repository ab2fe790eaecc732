import { chatToMessage } from "../../../providers/inbound-anthropic/from-chat";
import { chatToMessagesStream } from "../../../providers/inbound-anthropic/stream";
import { messagesToChat, type ChatTranslation } from "../../../providers/inbound-anthropic/to-chat";
import { parseJsonText } from "../../../providers/shared/json";
import { messagesRequestSchema, type MessagesRequest } from "../../../schema/anthropic-messages";
import { rawTextOf, validateJsonBody } from "../../lib/body";
import type { AppContext } from "../../context";
import type { OperationRequest } from "../../routing/request";
import type { RoutedTarget } from "../../routing/targets";
import { anthropicNativePlan, nativeBody, type ClientBody } from "./anthropic-native";
import { nativeStreamNeedsChat } from "../guardrail-native";
import { messagesBodyWithInput, refuseUntranslatable, transformedInput } from "./native-input";
import type { Inbound, NativePlan } from "./types";

/** Headers of the pipeline's answer that describe its old body. */
const BODY_HEADERS = ["content-length", "content-encoding"] as const;

/** The same response head (status, x-portkey-*, Server-Timing, ...) around a new body. */
export function withBody(response: Response, body: BodyInit | null, contentType: string): Response {
  const headers = new Headers(response.headers);
  for (const name of BODY_HEADERS) headers.delete(name);
  headers.set("content-type", contentType);
  return new Response(body, { status: response.status, headers });
}

/**
 * Anthropic's Messages API in front of any provider (`POST /v1/messages`). Anthropic targets get the client's
 * body natively and answer in its format untouched; any other target gets the chat translation, and its answer
 * (JSON or stream, from the provider or the cache) is translated back here.
 */
export class MessagesInbound implements Inbound {
  private body: ClientBody | undefined;
  private request: MessagesRequest | undefined;
  private translation: ChatTranslation | undefined;
  /** The answer sent is Anthropic's own (a native attempt succeeded): nothing to translate back. */
  private servedNatively = false;

  toChat(json: unknown): unknown {
    this.request = validateJsonBody(messagesRequestSchema, json);
    this.body = { json: json as Record<string, unknown>, raw: rawTextOf(json) };
    this.translation = messagesToChat(this.request);
    return this.translation.chat;
  }

  attemptStarting(): void {
    this.servedNatively = false;
  }

  nativeCall(received: OperationRequest, routed: RoutedTarget, c: AppContext): NativePlan | null {
    const { body, request, translation } = this;
    if (!body || !request || !translation) throw new Error("MessagesInbound: nativeCall before toChat");
    this.servedNatively = false; // an earlier attempt's native answer may have been denied by an output hook
    if (routed.target.provider !== "anthropic") {
      translation.problems.throwFirst(routed.target.provider);
      return null;
    }
    const sent = this.guardedBody(body, translation.chat, received.body);
    const stream = request.stream === true;
    if (!sent || (stream && nativeStreamNeedsChat(c.var.outcome))) {
      refuseUntranslatable(translation.problems, "guardrails on this request need the chat translation");
      return null;
    }
    const text = nativeBody(sent, routed.overrideParams);
    return anthropicNativePlan(routed.target, text, stream, () => (this.servedNatively = true));
  }

  /** The client's body, or with the input hooks' transformation put in natively; null when that is not exact. */
  private guardedBody(body: ClientBody, sent: unknown, received: unknown): ClientBody | null {
    const judged = transformedInput(sent, received);
    if (judged === null) return body;
    const json = messagesBodyWithInput(body.json, judged);
    return json ? { json, raw: undefined } : null;
  }

  async fromChat(response: Response): Promise<Response> {
    if (this.servedNatively) return response;
    const model = this.request?.model ?? "";
    if ((response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
      return withBody(
        response,
        response.body?.pipeThrough(chatToMessagesStream(model)) ?? null,
        "text/event-stream; charset=utf-8",
      );
    }
    const message = chatToMessage(parseJsonText(await response.text(), "the chat answer"));
    return withBody(response, JSON.stringify(message), "application/json");
  }
}
