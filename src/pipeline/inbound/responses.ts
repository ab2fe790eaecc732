import { chatToResponse } from "../../../providers/inbound-responses/from-chat";
import { accountResponse, openaiResponsesCall } from "../../../providers/inbound-responses/native";
import { chatToResponsesStream } from "../../../providers/inbound-responses/stream";
import { responsesToChat, type ResponsesChatTranslation } from "../../../providers/inbound-responses/to-chat";
import { newId, responseShell, type ResponseObject } from "../../../providers/inbound-responses/wire";
import { parseJsonText } from "../../../providers/shared/json";
import { responsesRequestSchema, type ResponsesRequest } from "../../../schema/openai-responses";
import type { AppContext } from "../../context";
import { rawTextOf, validateJsonBody } from "../../lib/body";
import type { OperationRequest } from "../../routing/request";
import type { RoutedTarget } from "../../routing/targets";
import { waitUntilOf } from "../../wait-until";
import type { InputItem } from "../../../schema/openai-responses";
import { nativeStreamNeedsChat } from "../guardrail-native";
import { nativeBody, type ClientBody } from "./anthropic-native";
import { refuseUntranslatable, responsesBodyWithInput, transformedInput } from "./native-input";
import { withBody } from "./messages";
import { pipeResponsesStream } from "./responses-native-stream";
import { loadHistory, ownInputItems, storeResponse, type History, type RawItem } from "./responses-store";
import { responsesScope } from "./responses-tenant";
import type { Inbound, NativePlan } from "./types";

interface Prepared {
  request: ResponsesRequest;
  json: Record<string, unknown>;
  scope: string;
  history: History | null;
  /** This request's own input items, with ids (what is stored and listed by input_items). */
  own: RawItem[];
  translation: ResponsesChatTranslation;
}

/** OpenAI's body before overrides, and the earlier turns OpenAI adds to it itself (a previous response it stored). */
interface OpenAISource {
  body: ClientBody;
  context: readonly InputItem[];
}

/** The source with the input hooks' transformation put in natively; null when that cannot be exact. */
function guardedSource(source: OpenAISource, sent: unknown, received: unknown): OpenAISource | null {
  const judged = transformedInput(sent, received);
  if (judged === null) return source;
  const json = responsesBodyWithInput(source.body.json, judged, source.context);
  return json ? { body: { json, raw: undefined }, context: source.context } : null;
}

/** Item ids are the gateway's (or another provider's): OpenAI gets the items of a rebuilt history without them. */
const withoutIds = (items: RawItem[]): RawItem[] =>
  items.map((item) => {
    if (item.type === "reasoning") return item;
    const { id: _id, status: _status, ...rest } = item;
    return rest;
  });

/**
 * The OpenAI Responses API in front of any provider (`POST /v1/responses`). OpenAI targets get the client's body
 * natively (their answer goes back as it came); any other target gets the chat translation, and its answer (JSON
 * or stream, from the provider or the cache) becomes a `response` here. With `store` (the default) the response
 * and its input are kept in D1 for the tenant (responses-store.ts): a JSON answer is written before it is
 * returned, a stream's once it ends (waitUntil), so `previous_response_id` works on the very next request.
 */
export class ResponsesInbound implements Inbound {
  private prepared: Prepared | undefined;
  private servedNatively = false;

  constructor(private readonly c: AppContext) {}

  /** Async: the previous response is read from D1 (startReadingInbound awaits the promise like the body). */
  async toChat(json: unknown): Promise<unknown> {
    const request = validateJsonBody(responsesRequestSchema, json);
    const scope = await responsesScope(this.c);
    const history = request.previous_response_id
      ? await loadHistory(this.c, scope, request.previous_response_id)
      : null;
    const translation = responsesToChat(request, history?.items ?? []);
    if (translation.chat.messages.length === 0) {
      // Nothing chat can carry (only OpenAI's own items): OpenAI gets the body natively, any other target refuses.
      translation.problems.add("input", "the input has no message that providers other than OpenAI can read");
      translation.chat.messages.push({ role: "user", content: "" });
    }
    this.prepared = {
      request,
      json: json as Record<string, unknown>,
      scope,
      history,
      own: ownInputItems(request.input === undefined ? [] : (json as { input: unknown }).input),
      translation,
    };
    return translation.chat;
  }

  attemptStarting(): void {
    this.servedNatively = false;
  }

  nativeCall(received: OperationRequest, routed: RoutedTarget): NativePlan | null {
    const prepared = this.ready();
    this.servedNatively = false; // an earlier attempt's native answer may have been denied by an output hook
    if (routed.target.provider !== "openai") {
      prepared.translation.problems.throwFirst(routed.target.provider);
      return null;
    }
    const source = guardedSource(this.openaiSource(prepared), prepared.translation.chat, received.body);
    if (!source || (prepared.request.stream === true && nativeStreamNeedsChat(this.c.var.outcome))) {
      refuseUntranslatable(prepared.translation.problems, "guardrails on this request need the chat translation");
      return null;
    }
    const body = nativeBody(source.body, routed.overrideParams, responsesRequestSchema);
    const model =
      typeof routed.overrideParams?.model === "string" ? routed.overrideParams.model : prepared.request.model;
    return {
      call: openaiResponsesCall(routed.target, model, body),
      stream: prepared.request.stream === true,
      account: (json, ctx) => {
        this.servedNatively = true;
        return accountResponse(json, ctx);
      },
      pipeStream: (upstream, _ctx, options) => {
        this.servedNatively = true;
        return pipeResponsesStream(upstream, options, (final) => this.storeLater(final));
      },
    };
  }

  async fromChat(response: Response): Promise<Response> {
    const prepared = this.ready();
    const isStream = (response.headers.get("content-type") ?? "").startsWith("text/event-stream");
    if (isStream) {
      if (this.servedNatively) return response;
      const shell = responseShell(prepared.request, newId("resp"), Math.floor(Date.now() / 1000));
      const body = response.body?.pipeThrough(chatToResponsesStream(shell, (final) => this.storeLater(final))) ?? null;
      return withBody(response, body, "text/event-stream; charset=utf-8");
    }
    const text = await response.text();
    if (this.servedNatively) {
      await this.store(parseJsonText(text, "the response"));
      return withBody(response, text, "application/json");
    }
    const shell = responseShell(prepared.request, newId("resp"), Math.floor(Date.now() / 1000));
    const answer = chatToResponse(parseJsonText(text, "the chat answer"), shell);
    await this.store(answer);
    return withBody(response, JSON.stringify(answer), "application/json");
  }

  private ready(): Prepared {
    if (!this.prepared) throw new Error("ResponsesInbound: used before toChat");
    return this.prepared;
  }

  /**
   * OpenAI's body: the client's bytes when nothing changes. A previous response OpenAI itself stored is left to
   * OpenAI; one another provider produced is unknown to OpenAI, so its conversation is sent as input instead.
   */
  private openaiSource(prepared: Prepared): OpenAISource {
    const { history, json } = prepared;
    const openaiKnowsIt = history?.row.native === true && history.row.provider === "openai";
    if (!history || openaiKnowsIt) return { body: { json, raw: rawTextOf(json) }, context: history?.items ?? [] };
    const { previous_response_id: _previous, ...rest } = json;
    const input = withoutIds([...history.raw, ...prepared.own]);
    return { body: { json: { ...rest, input }, raw: undefined }, context: [] };
  }

  /** Streams: the final response is stored after the client got the end of the stream. */
  private storeLater(final: unknown): void {
    waitUntilOf(this.c)(this.store(final));
  }

  /** Completed and incomplete responses are stored (store: true, the default); failed ones are not continued. */
  private async store(final: unknown): Promise<void> {
    const { request, scope, history, own } = this.ready();
    const response = final as Partial<ResponseObject> & Record<string, unknown>;
    if (request.store === false || typeof response.id !== "string" || response.status === "failed") return;
    await storeResponse(this.c, {
      scope,
      provider: this.c.var.outcome.route.provider ?? "unknown",
      native: this.servedNatively,
      context: history?.raw ?? [],
      input: own,
      previousResponseId: request.previous_response_id ?? null,
      response: { ...response, id: response.id },
    });
  }
}
