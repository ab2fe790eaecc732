/** The Converse request body (the parts the gateway writes), as documented in Bedrock's API reference. */

export type ImageFormat = "png" | "jpeg" | "gif" | "webp";

export interface TextBlock {
  text: string;
}
export interface ImageBlock {
  image: { format: ImageFormat; source: { bytes: string } | { s3Location: { uri: string } } };
}
export interface ToolUseBlock {
  toolUse: { toolUseId: string; name: string; input: unknown };
}
export interface ToolResultBlock {
  toolResult: { toolUseId: string; content: Array<TextBlock | { json: unknown }>; status?: "success" | "error" };
}
/** Prompt caching: a checkpoint after the blocks before it (Portkey-style `cache_control` on a part). */
export interface CachePointBlock {
  cachePoint: { type: "default" };
}

export type ContentBlock = TextBlock | ImageBlock | ToolUseBlock | ToolResultBlock | CachePointBlock;
export type SystemBlock = TextBlock | CachePointBlock;

export interface ConverseMessage {
  role: "user" | "assistant";
  content: ContentBlock[];
}

export interface ToolSpec {
  toolSpec: { name: string; description?: string; inputSchema: { json: Record<string, unknown> } };
}

export type ToolChoice = { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

export interface InferenceConfig {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

export interface ConverseRequestBody {
  messages: ConverseMessage[];
  system?: SystemBlock[];
  inferenceConfig?: InferenceConfig;
  toolConfig?: { tools: Array<ToolSpec | CachePointBlock>; toolChoice?: ToolChoice };
  additionalModelRequestFields?: Record<string, unknown>;
}
