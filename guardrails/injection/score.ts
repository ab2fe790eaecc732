import { decodedPayloads } from "./decode";
import { hasTemplateMarker } from "./markers";
import { normalizeWords } from "./normalize";
import { compileSignal, matchesAt, PHRASE_SIGNALS } from "./phrases";

const COMPILED = PHRASE_SIGNALS.map(compileSignal);
const TEMPLATE_MARKER_WEIGHT = 0.5;

export interface InjectionScore {
  /** 0..1: the noisy OR of the strongest evidence of each signal found. */
  score: number;
  /** Names of the signals found (never the text that matched them). */
  signals: string[];
}

/** The strongest weight per signal name over the plain text (each word tried as a start: linear, bounded look-ahead). */
function phraseEvidence(text: string): Map<string, number> {
  const words = normalizeWords(text);
  const evidence = new Map<string, number>();
  for (let start = 0; start < words.length; start++) {
    for (const signal of COMPILED) {
      if ((evidence.get(signal.name) ?? 0) >= signal.weight || !signal.slots[0]?.words.has(words[start] ?? ""))
        continue;
      if (matchesAt(signal, words, start)) evidence.set(signal.name, signal.weight);
    }
  }
  if (hasTemplateMarker(text)) evidence.set("template_markers", TEMPLATE_MARKER_WEIGHT);
  return evidence;
}

const noisyOr = (weights: Iterable<number>): number => 1 - [...weights].reduce((rest, w) => rest * (1 - w), 1);

/** Scores text for injection and jailbreak phrasings, including phrasings hidden in base64 or hex blobs. */
export function scoreInjection(text: string): InjectionScore {
  const evidence = phraseEvidence(text);
  let encoded = 0;
  for (const payload of decodedPayloads(text)) encoded = Math.max(encoded, noisyOr(phraseEvidence(payload).values()));
  // Hiding an instruction in an encoding is itself a sign of intent: the decoded evidence counts in full.
  if (encoded > 0) evidence.set("encoded_payload", Math.min(0.95, encoded));
  const score = Math.round(noisyOr(evidence.values()) * 1000) / 1000;
  return { score, signals: [...evidence.keys()].sort() };
}
