/** The Anthropic Messages API request body as we build it (output types: plain TypeScript, not zod). */

export interface CacheControl {
  type: "ephemeral";
  ttl?: "5m" | "1h";
}

export interface TextBlockParam {
  type: "text";
  text: string;
  cache_control?: CacheControl;
}

export type ImageSource = { type: "base64"; media_type: string; data: string } | { type: "url"; url: string };

export interface ImageBlockParam {
  type: "image";
  source: ImageSource;
  cache_control?: CacheControl;
}

export type DocumentSource =
  | { type: "base64"; media_type: "application/pdf"; data: string }
  | { type: "text"; media_type: "text/plain"; data: string }
  | { type: "url"; url: string };

export interface DocumentBlockParam {
  type: "document";
  source: DocumentSource;
  title?: string;
  cache_control?: CacheControl;
}

export interface ToolUseBlockParam {
  type: "tool_use";
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface ToolResultBlockParam {
  type: "tool_result";
  tool_use_id: string;
  content?: string | TextBlockParam[];
  cache_control?: CacheControl;
}

export type UserBlock = TextBlockParam | ImageBlockParam | DocumentBlockParam | ToolResultBlockParam;
export type AssistantBlock = TextBlockParam | ToolUseBlockParam;

export type AnthropicMessageParam =
  { role: "user"; content: UserBlock[] } | { role: "assistant"; content: AssistantBlock[] };

export interface ToolParam {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  cache_control?: CacheControl;
}

export type ToolChoiceParam =
  | { type: "auto"; disable_parallel_tool_use?: boolean }
  | { type: "any"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean }
  | { type: "none" };

export interface ThinkingParam {
  type: "enabled";
  budget_tokens: number;
}

export interface MessagesRequestBody {
  model: string;
  messages: AnthropicMessageParam[];
  max_tokens: number;
  system?: string | TextBlockParam[];
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  metadata?: { user_id: string };
  tools?: ToolParam[];
  tool_choice?: ToolChoiceParam;
  thinking?: ThinkingParam;
  stream?: true;
}
