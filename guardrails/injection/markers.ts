/**
 * Chat-template and delimiter markers pasted into user text to fake a system turn (`<|im_start|>system`,
 * `[/INST]`, `<</SYS>>`, `### System:`). Substring checks on the lowercased text: linear.
 */
const MARKERS: readonly string[] = [
  "<|im_start|>",
  "<|im_end|>",
  "<|system|>",
  "<|start_header_id|>",
  "<|eot_id|>",
  "[/inst]",
  "[inst]",
  "<<sys>>",
  "<</sys>>",
  "### system",
  "### instruction",
  "[system]",
  "<system>",
  "</system>",
  "end of system prompt",
  "begin system prompt",
  "new system prompt",
];

export function hasTemplateMarker(text: string): boolean {
  const lower = text.toLowerCase();
  return MARKERS.some((marker) => lower.includes(marker));
}
