/**
 * A tiny Prometheus text-format (0.0.4) parser for tests: it is strict where a scraper would be (every sample
 * belongs to a declared family, label values are quoted and escaped properly, values are floats) and returns the
 * samples for assertions.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf("=", i);
    if (eq < 0) throw new Error(`bad labels: ${text}`);
    const name = text.slice(i, eq);
    if (!LABEL.test(name)) throw new Error(`bad label name: ${name}`);
    if (text[eq + 1] !== '"') throw new Error(`unquoted label value in ${text}`);
    let value = "";
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === "\\") {
        const next = text[++j];
        if (next === "n") value += "\n";
        else if (next === "\\" || next === '"') value += next;
        else throw new Error(`bad escape in ${text}`);
      } else value += text[j];
    }
    if (text[j] !== '"') throw new Error(`unterminated label value in ${text}`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ",") i++;
    else if (i < text.length) throw new Error(`expected , in ${text}`);
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  const value = Number(text);
  if (text === "" || !Number.isFinite(value)) throw new Error(`bad value: ${text}`);
  return value;
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : null;
    if (base && types.get(base) === "histogram") return base;
  }
  return undefined;
}

export function parsePrometheus(text: string): Exposition {
  if (!text.endsWith("\n")) throw new Error("exposition must end with a newline");
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.slice(0, -1).split("\n")) {
    if (line.startsWith("# HELP ")) continue;
    if (line.startsWith("# TYPE ")) {
      const [name, type] = line.slice(7).split(" ");
      if (!name || !NAME.test(name) || !["counter", "gauge", "histogram", "summary", "untyped"].includes(type ?? ""))
        throw new Error(`bad TYPE: ${line}`);
      if (types.has(name)) throw new Error(`TYPE declared twice: ${name}`);
      types.set(name, type ?? "");
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`bad sample line: ${JSON.stringify(line)}`);
    const [, name = "", labelText, value = ""] = match;
    if (!familyOf(name, types)) throw new Error(`sample of an undeclared family: ${name}`);
    samples.push({ name, labels: labelText ? parseLabels(labelText) : {}, value: parseValue(value) });
  }
  return { types, samples };
}

/** The samples named `name` whose labels include `labels`. */
export function select(exposition: Exposition, name: string, labels: Record<string, string>): Sample[] {
  return exposition.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}
