// The prompt-rendering micro-measure (bench/lib/prompt-stage.mjs): a Worker that runs the gateway's own render code
// (src/prompts, bundled by esbuild) `?n=` times per request, so the CPU its workerd spends per render can be read
// from the process as every other stage's is: (CPU at n renders - CPU at 0 renders) / n. workerd's clock does not
// advance while JS runs, so the render cannot time itself; the process's CPU counter can.
//
// The fixture is the case: 10 variables (all required, derived from the template) and one partial. Each
// render is what preparePrompt does once the version and the partial are in the isolate cache: the variable view
// (defaults, required check), partial collection (parse, from Mustache's cache, and the cycle walk) and the render
// of both messages. Values change per render, so no output is ever reused.
import { collectPartials } from "../src/prompts/partials.ts";
import { deriveVariables, messageTexts, renderMessages, variableView } from "../src/prompts/render.ts";

const PARTIAL = { slug: "house-style", text: "Be brief and polite. Sign as {{assistant_name}} of {{company}}." };
const MESSAGES = [
  {
    role: "system",
    content: "You are {{assistant_name}}, helping {{customer_name}} of {{company}} ({{plan}} plan).\n{{>house-style}}",
  },
  {
    role: "user",
    content: "Order {{order_id}} of {{order_date}}, {{amount}} {{currency}}: {{question}} Please answer in {{lang}}.",
  },
];
const DECLARED = deriveVariables(MESSAGES);
if (DECLARED.length !== 10) throw new Error(`fixture: expected 10 variables, got ${DECLARED.length}`);
const loadPartial = async (name) => (name === PARTIAL.slug ? PARTIAL : null);

function variablesFor(i) {
  return {
    assistant_name: "Ada",
    customer_name: `Customer ${i}`,
    company: "Example Ltd",
    plan: i % 2 ? "pro" : "team",
    order_id: `A-${100000 + i}`,
    order_date: "2026-12-07",
    amount: (i * 1.25).toFixed(2),
    currency: "EUR",
    question: `Where is parcel ${i}?`,
    lang: "French",
  };
}

async function renderOnce(i) {
  const view = variableView(DECLARED, variablesFor(i));
  const partials = await collectPartials("bench-prompt", messageTexts(MESSAGES), loadPartial);
  const messages = renderMessages(MESSAGES, view, partials);
  return messages[0].content.length + messages[1].content.length;
}

export default {
  async fetch(request) {
    await request.arrayBuffer(); // the bench client sends a chat body: read it, as any Worker would
    const n = Number(new URL(request.url).searchParams.get("n") ?? "0");
    let chars = 0;
    for (let i = 0; i < n; i++) chars += await renderOnce(i);
    return new Response(JSON.stringify({ renders: n, chars }), { headers: { "content-type": "application/json" } });
  },
};
