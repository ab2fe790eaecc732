import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError, invert, not, requireText } from "./common";

export const CODE_FORMATS = [
  "SQL",
  "Python",
  "TypeScript",
  "JavaScript",
  "Java",
  "C#",
  "C++",
  "C",
  "Ruby",
  "PHP",
  "Swift",
  "Kotlin",
  "Go",
  "Rust",
  "Scala",
  "R",
  "Perl",
  "Shell",
  "HTML",
  "CSS",
  "XML",
  "JSON",
  "YAML",
  "Markdown",
  "Dockerfile",
] as const;

/** Fence languages (lower case) to formats: the short names Portkey maps, plus each format's own name. */
const ALIASES: Record<string, string> = {
  sql: "SQL",
  py: "Python",
  python: "Python",
  ts: "TypeScript",
  typescript: "TypeScript",
  js: "JavaScript",
  javascript: "JavaScript",
  java: "Java",
  cs: "C#",
  csharp: "C#",
  cpp: "C++",
  "c++": "C++",
  c: "C",
  rb: "Ruby",
  ruby: "Ruby",
  php: "PHP",
  swift: "Swift",
  kt: "Kotlin",
  kotlin: "Kotlin",
  go: "Go",
  rs: "Rust",
  rust: "Rust",
  scala: "Scala",
  r: "R",
  pl: "Perl",
  perl: "Perl",
  sh: "Shell",
  bash: "Shell",
  shell: "Shell",
  html: "HTML",
  css: "CSS",
  xml: "XML",
  json: "JSON",
  yml: "YAML",
  yaml: "YAML",
  md: "Markdown",
  markdown: "Markdown",
  dockerfile: "Dockerfile",
};

const parameters = z.strictObject({ format: z.enum(CODE_FORMATS), not, failOnError });

/** Languages of the closed ``` blocks in the text, as formats (an unknown fence language is "other": fence labels are the writer's text, not ours to echo). */
export function codeBlockFormats(text: string): string[] {
  const formats: string[] = [];
  let open: string | null = null;
  for (const line of text.split("\n")) {
    const fence = /^\s*```\s*([\w+#-]*)\s*$/.exec(line);
    if (!fence) continue;
    if (open === null) open = fence[1] ?? "";
    else {
      if (open !== "") formats.push(ALIASES[open.toLowerCase()] ?? "other");
      open = null;
    }
  }
  return formats;
}

/** Passes when the text has a fenced code block labelled with `format` (by its fence language, as Portkey). */
export const containsCode: CheckDefinition<typeof parameters> = {
  id: "default.containsCode",
  parameters,
  phases: ["input", "output"],
  run(context, p) {
    const formats = codeBlockFormats(requireText(context));
    const found = formats.includes(p.format);
    return {
      verdict: invert(found, p.not),
      data: { format: p.format, foundFormats: [...new Set(formats)], not: p.not ?? false },
    };
  },
};
