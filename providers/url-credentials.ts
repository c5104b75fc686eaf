/**
 * Credentials written into a URL (`https://user:password@host/...`, or `https://token@host/...`):
 * the stack-file check refuses them in every URL field (config/secrets.ts), and `mailform export`
 * does not write an object whose URL carries them. A stack file is kept in git, and a URL field is
 * kept in Pulumi state and shown in plans and drift reports.
 */

/** Scheme, `//`, then the authority up to its last `@`: what is before that `@` is the user info. */
const WITH_USERINFO = /^(\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#\s]+)@/;

/** Where the credentials of `url` are (offsets into it), or undefined when it has none. */
export function urlCredentials(url: unknown): { start: number; end: number } | undefined {
  if (typeof url !== "string") return undefined;
  const m = WITH_USERINFO.exec(url);
  if (!m) return undefined;
  const start = m[1]!.length;
  return { start, end: start + m[2]!.length };
}

/** `url` without its credentials (and the `@` after them), for labels and messages. */
export function withoutCredentials(url: string): string {
  const at = urlCredentials(url);
  return at ? url.slice(0, at.start) + url.slice(at.end + 1) : url;
}
