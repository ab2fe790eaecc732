import { codeAt, isDigit, isWordChar } from "./chars";

/**
 * Digit clusters: digit runs joined by short separators (`555-123-4567`, `4111 1111 1111 1111`, `(555) 123`), cut
 * from the text in one pass. Card, SSN and phone detectors match group shapes inside a cluster instead of running
 * regular expressions over the text, so a 10,000-digit run costs one scan, never a backtracking search.
 */
export interface DigitGroup {
  start: number;
  end: number;
  digits: string;
}

export interface NumberCluster {
  groups: DigitGroup[];
  /** `separators[i]` sits between `groups[i]` and `groups[i + 1]`. */
  separators: string[];
  /** `+` and `(` right before the first group (`+1 (555)`), and where they start. */
  lead: string;
  leadStart: number;
  /** The cluster is glued to a word on its left (`v1.2`, `a716-4466`): only groups after a space may start a match. */
  gluedLeft: boolean;
  gluedRight: boolean;
}

/**
 * 1 to 3 of ` -.()`, at most one `-` and one `.`. A character loop: it runs between every two digit groups, and
 * regular expressions and array spreads here were a tenth of the detector's CPU on digit-heavy text.
 */
function isSeparator(gap: string): boolean {
  if (gap.length === 0 || gap.length > 3) return false;
  let dashes = 0;
  let dots = 0;
  for (let i = 0; i < gap.length; i++) {
    const c = gap.charCodeAt(i);
    if (c === 45) dashes++;
    else if (c === 46) dots++;
    else if (c !== 32 && c !== 40 && c !== 41) return false;
  }
  return dashes <= 1 && dots <= 1;
}

function leadOf(text: string, groupStart: number): string {
  let start = groupStart;
  while (start > 0 && groupStart - start < 3 && "+( ".includes(text.charAt(start - 1))) start--;
  const lead = text.slice(start, groupStart).trimStart();
  return lead.includes("+") || lead.includes("(") ? lead : "";
}

function digitGroups(text: string): DigitGroup[] {
  const groups: DigitGroup[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    groups.push({ start, end: i, digits: text.slice(start, i) });
  }
  return groups;
}

function newCluster(text: string, first: DigitGroup): NumberCluster {
  const lead = leadOf(text, first.start);
  const leadStart = first.start - lead.length;
  return {
    groups: [first],
    separators: [],
    lead,
    leadStart,
    gluedLeft: isWordChar(codeAt(text, leadStart - 1)),
    gluedRight: false,
  };
}

export function numberClusters(text: string): NumberCluster[] {
  const clusters: NumberCluster[] = [];
  let current: NumberCluster | undefined;
  for (const group of digitGroups(text)) {
    const previous = current?.groups[current.groups.length - 1];
    // Only a gap of 1 to 3 units can be a separator: the prose between numbers is never copied out.
    const gap = previous && group.start - previous.end <= 3 ? text.slice(previous.end, group.start) : "";
    if (current && previous && isSeparator(gap)) {
      current.groups.push(group);
      current.separators.push(gap);
    } else {
      current = newCluster(text, group);
      clusters.push(current);
    }
  }
  for (const cluster of clusters) {
    const last = cluster.groups[cluster.groups.length - 1];
    cluster.gluedRight = last !== undefined && isWordChar(codeAt(text, last.end));
  }
  return clusters;
}

/** A match may start at group `i` when nothing glues it to what is before: the cluster's edge, or a space. */
export const startsClean = (cluster: NumberCluster, i: number): boolean =>
  i === 0 ? !cluster.gluedLeft : (cluster.separators[i - 1] ?? "").includes(" ");

/** A match may end at group `j` when nothing glues it to what follows: the cluster's edge, or a space. */
export const endsClean = (cluster: NumberCluster, j: number): boolean =>
  j === cluster.groups.length - 1 ? !cluster.gluedRight : (cluster.separators[j] ?? "").includes(" ");
