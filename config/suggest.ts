/** "Did you mean ...?" for misspelled fields, enum values, references and file names. */

/** Edit distance counting an adjacent transposition as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

const normalize = (s: string) => s.toLowerCase().replace(/[-_\s]/g, "");

/** How close `input` is to `candidate`; lower is closer; `undefined` when not a plausible typo. */
function closeness(input: string, candidate: string): number | undefined {
  if (input === candidate) return undefined;
  if (normalize(input) === normalize(candidate)) return 0;
  if (input.length <= 2) return undefined;
  const d = editDistance(input.toLowerCase(), candidate.toLowerCase());
  const limit = Math.min(3, Math.max(1, Math.floor(Math.max(input.length, candidate.length) / 4)));
  if (d <= limit) return d;
  const [short, long] = input.length < candidate.length ? [input, candidate] : [candidate, input];
  if (short.length >= 4 && long.toLowerCase().startsWith(short.toLowerCase())) return limit + 1;
  return undefined;
}

/** The candidate `input` most plausibly was meant to be, if any. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const score = closeness(input, c);
    if (score !== undefined && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** `a, b or c` for messages. */
export function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
