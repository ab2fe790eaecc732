import { describe, expect, it } from "vitest";
import Mustache from "mustache";
import type { PromptMessage } from "../../schema/prompts";
import { GatewayError } from "../../src/errors";
import { collectPartials, type LoadedPartial } from "../../src/prompts/partials";
import { deriveVariables, renderMessages, variableView } from "../../src/prompts/render";

/** Partials from a fixed table, keyed by the name as written in the template (`footer`, `footer@2`). */
function table(entries: Record<string, LoadedPartial>) {
  return (name: string) => Promise.resolve(entries[name] ?? null);
}

const user = (content: string): PromptMessage => ({ role: "user", content });

async function render(
  messages: PromptMessage[],
  given: Record<string, unknown>,
  partials: Record<string, LoadedPartial> = {},
) {
  const view = variableView(deriveVariables(messages), given);
  const texts = messages.map((m) => (typeof m.content === "string" ? m.content : ""));
  return renderMessages(messages, view, await collectPartials("root", texts, table(partials)));
}

async function gatewayError(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe("prompt rendering", () => {
  it("fills variables, dotted names and content parts", async () => {
    const messages: PromptMessage[] = [
      { role: "system", content: "Answer in {{lang}} for {{user.name}}." },
      {
        role: "user",
        content: [
          { type: "text", text: "Q: {{question}}" },
          { type: "image_url", image_url: { url: "x" } },
        ],
      },
    ];
    const out = await render(messages, { lang: "French", user: { name: "Ada" }, question: "why?" });
    expect(out).toEqual([
      { role: "system", content: "Answer in French for Ada." },
      {
        role: "user",
        content: [
          { type: "text", text: "Q: why?" },
          { type: "image_url", image_url: { url: "x" } },
        ],
      },
    ]);
    expect(messages[0]?.content).toBe("Answer in {{lang}} for {{user.name}}."); // the shared version is untouched
  });

  it("renders sections over lists and booleans, and inverted sections", async () => {
    const messages = [
      user(
        "{{#items}}- {{name}}\n{{/items}}{{^items}}nothing{{/items}}{{#formal}}Dear{{/formal}}{{^formal}}Hi{{/formal}}",
      ),
    ];
    expect((await render(messages, { items: [{ name: "a" }, { name: "b" }], formal: true }))[0]?.content).toBe(
      "- a\n- b\nDear",
    );
    expect((await render(messages, { items: [], formal: false }))[0]?.content).toBe("nothingHi");
  });

  it("inserts values as given: no HTML escaping, and the library's global escape is left alone", async () => {
    const out = await render([user("{{code}} & {{{code}}}")], { code: `<a href="x">'&'</a>` });
    expect(out[0]?.content).toBe(`<a href="x">'&'</a> & <a href="x">'&'</a>`);
    expect(Mustache.render("{{v}}", { v: "<b>" })).toBe("&lt;b&gt;");
  });

  it("derives required variables from plain tags, optional ones from sections", () => {
    const derived = deriveVariables([user("{{lang}} {{#extra}}{{detail}}{{/extra}} {{^quiet}}!{{/quiet}} {{lang}}")]);
    expect(derived).toEqual([
      { name: "lang", required: true },
      { name: "extra", required: false },
      { name: "detail", required: false },
      { name: "quiet", required: false },
    ]);
  });

  it("a missing required variable is a 400 naming it; a default fills it", async () => {
    const error = await gatewayError(render([user("in {{lang}}")], {}));
    expect(error.status).toBe(400);
    expect(error.message).toBe("variables.lang: required");
    expect(error.param).toBe("variables.lang");
    const view = variableView([{ name: "lang", required: true, default: "English" }], {});
    expect(renderMessages([user("in {{lang}}")], view, {})[0]?.content).toBe("in English");
  });

  it("includes partials, with versions, nested, and their own variables", async () => {
    const out = await render(
      [user("{{>header}} body {{>footer@2}}")],
      { name: "Ada" },
      {
        header: { slug: "header", text: "Hello {{name}}. {{>sig}}" },
        sig: { slug: "sig", text: "-- team" },
        "footer@2": { slug: "footer", text: "bye v2" },
      },
    );
    expect(out[0]?.content).toBe("Hello Ada. -- team body bye v2");
  });

  it("a partial that does not exist is a 400 naming it", async () => {
    const error = await gatewayError(render([user("{{>nope@3}}")], {}));
    expect(error.status).toBe(400);
    expect(error.message).toContain('partial "nope@3" not found');
  });

  it("a cycle of partials is a 400 naming the cycle, including through the prompt itself", async () => {
    const cycle = await gatewayError(
      render(
        [user("{{>a}}")],
        {},
        { a: { slug: "a", text: "{{>b}}" }, b: { slug: "b", text: "{{>a@1}}" }, "a@1": { slug: "a", text: "x" } },
      ),
    );
    expect(cycle.status).toBe(400);
    expect(cycle.message).toBe("partial cycle: root -> a -> b -> a");
    const self = await gatewayError(render([user("{{>root@2}}")], {}, { "root@2": { slug: "root", text: "again" } }));
    expect(self.message).toBe("partial cycle: root -> root");
  });

  it("a template that does not parse is a 400 naming the message", () => {
    let error: unknown;
    try {
      deriveVariables([user("ok"), user("{{#open}} never closed")]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).message).toMatch(/^messages\[1\]: invalid template: Unclosed section "open"/);
  });
});
