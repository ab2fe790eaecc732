/**
 * The phrase signals of the prompt-injection heuristic. A pattern is a sequence of slots: `a|b` is a slot (any of
 * those words), `~N` lets up to N other words sit before the next slot. Matching is a bounded look-ahead from each
 * word, so the cost is linear in the text. Weights are the evidence of one signal; signals combine as a noisy OR.
 */
export interface PhraseSignal {
  name: string;
  weight: number;
  pattern: string;
}

const VERBS_IGNORE =
  "ignore|ignoring|disregard|disregarding|forget|forgetting|skip|bypass|override|overriding|abandon|drop|discard";
const EARLIER =
  "previous|prior|above|earlier|preceding|all|any|every|your|initial|original|system|safety|developer|existing|these|those|given";
const RULES =
  "instructions|instruction|prompts|prompt|rules|directions|guidelines|guideline|directives|commands|programming|constraints|guardrails|policies|restrictions|context|orders";
const REVEAL =
  "reveal|show|print|repeat|output|display|leak|dump|disclose|expose|give|share|tell|write|return|spell|echo|paste";
/** Without "write": "write a good system prompt" is a request for help, not for the gateway's prompt. */
const REVEAL_SECRET = REVEAL.replace("|write", "");
const SECRET_QUALIFIERS =
  "system|initial|hidden|secret|original|developer|confidential|above|previous|preceding|internal|starting|first";
const UNRESTRICTED =
  "unrestricted|unfiltered|uncensored|jailbroken|amoral|unethical|evil|unlimited|unbound|unchained|limitless|lawless";
const LIMITS =
  "restrictions|restriction|limits|limitations|filters|filter|rules|guidelines|censorship|ethics|morals|boundaries|policies|safeguards";

export const PHRASE_SIGNALS: readonly PhraseSignal[] = [
  { name: "override_instructions", weight: 0.9, pattern: `${VERBS_IGNORE} ~3 ${EARLIER} ~4 ${RULES}` },
  { name: "override_instructions", weight: 0.9, pattern: `do ~1 not ~1 follow|obey ~3 ${EARLIER} ~3 ${RULES}` },
  {
    name: "exfiltrate_system_prompt",
    weight: 0.85,
    pattern: `${REVEAL_SECRET} ~3 ${SECRET_QUALIFIERS} ~1 ${RULES}|message|messages`,
  },
  {
    name: "exfiltrate_system_prompt",
    weight: 0.85,
    pattern: `${REVEAL} ~3 your|its ~2 prompt|prompts|instructions|rules|guidelines|directives`,
  },
  {
    name: "exfiltrate_system_prompt",
    weight: 0.85,
    pattern: `${REVEAL} ~3 everything|words|text|all ~2 above|before|preceding`,
  },
  {
    name: "exfiltrate_system_prompt",
    weight: 0.45,
    pattern: `what ~2 your ~2 system|initial|hidden|original|secret ~1 prompt|instructions`,
  },
  {
    name: "role_override",
    weight: 0.8,
    pattern: `you ~1 are|re ~1 now ~3 ${UNRESTRICTED}|dan|free|no|not|developer|god|root|admin|jailbreak|without`,
  },
  { name: "role_override", weight: 0.4, pattern: "you ~1 are|re ~1 now" },
  { name: "role_override", weight: 0.75, pattern: `pretend|act|roleplay|behave|simulate|become ~4 ${UNRESTRICTED}` },
  {
    name: "role_override",
    weight: 0.7,
    pattern: `pretend|act|roleplay|behave|simulate|respond|answer ~5 without|no|zero|ignoring ~2 ${LIMITS}`,
  },
  { name: "role_override", weight: 0.35, pattern: "stay|remain ~1 in ~1 character" },
  { name: "jailbreak_persona", weight: 0.85, pattern: "do ~1 anything ~1 now" },
  { name: "jailbreak_persona", weight: 0.85, pattern: "dan|stan|dude|aim ~1 mode|prompt|persona|jailbreak" },
  {
    name: "jailbreak_persona",
    weight: 0.7,
    pattern: "developer|god|jailbreak|jailbroken|unrestricted|dan ~1 mode ~2 enabled|activated|unlocked",
  },
  { name: "jailbreak_persona", weight: 0.3, pattern: "jailbreak|jailbroken|jailbreaking" },
  {
    name: "new_instructions",
    weight: 0.5,
    pattern: `your ~2 new|updated|real|true|actual ~1 ${RULES}|task|purpose|role`,
  },
  { name: "new_instructions", weight: 0.3, pattern: "from ~1 now ~1 on" },
  { name: "no_limits", weight: 0.35, pattern: `without|no|free|ignoring ~2 ${LIMITS}` },
];

interface Slot {
  words: ReadonlySet<string>;
  /** How many other words may precede this slot's word (0 for the first slot). */
  gap: number;
}

export interface CompiledSignal {
  name: string;
  weight: number;
  slots: Slot[];
}

export function compileSignal(signal: PhraseSignal): CompiledSignal {
  const slots: Slot[] = [];
  let gap = 0;
  for (const token of signal.pattern.split(" ")) {
    if (token.startsWith("~")) gap = Number(token.slice(1));
    else {
      slots.push({ words: new Set(token.split("|")), gap });
      gap = 0;
    }
  }
  return { name: signal.name, weight: signal.weight, slots };
}

/** Whether the signal's slots match starting with the word at `start` (each slot takes its earliest word in reach). */
export function matchesAt(signal: CompiledSignal, words: readonly string[], start: number): boolean {
  let position = start - 1;
  for (const [index, slot] of signal.slots.entries()) {
    const from = position + 1;
    const to = index === 0 ? from : Math.min(words.length - 1, from + slot.gap);
    let found = -1;
    for (let i = from; i <= to; i++) {
      if (slot.words.has(words[i] ?? "")) {
        found = i;
        break;
      }
    }
    if (found < 0) return false;
    position = found;
  }
  return true;
}
