/**
 * Text lengths as the vendors and our JSON schema count them: in characters (Unicode code
 * points), not UTF-16 units, so an emoji or any other astral character counts once.
 */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The first `max` characters of `text`, never splitting a surrogate pair. */
export function truncateChars(text: string, max: number): string {
  return Array.from(text).slice(0, max).join("");
}
