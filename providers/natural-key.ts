/**
 * How every kind compares the text its natural key is made of (DESIGN.md: "its natural key
 * (refused twice across entries before any call, used to match live objects for adoption)"), in
 * one place so that no kind compares it its own way:
 *
 * - surrounding whitespace is ignored (`" Staging "` is `Staging`);
 * - text is compared in Unicode NFC (`é` typed as one code point or as `e` + U+0301 is one name);
 * - letter case is ignored only where the vendor ignores it (`caseless`): domain names, e-mail
 *   addresses, and a URL's scheme and host (RFC 3986), never its path.
 *
 * Kinds build `naturalKey` from `keyPart`/`urlKeyPart`; `config/natural-keys.ts` calls each kind's
 * `naturalKey`, so the stack-file check and adoption agree. A kind whose key field cannot change
 * in place (a replacement) also normalizes that field with `keyText`: a difference the vendor does
 * not see must not replace the object.
 */

export interface KeyTextOptions {
  /** The vendor ignores letter case in this value. */
  caseless?: boolean;
}

/** `value` as natural keys compare it. Anything but a string (an unknown during preview) is left as it prints. */
export function keyText(value: unknown, options: KeyTextOptions = {}): string {
  if (typeof value !== "string") return String(value);
  const text = value.normalize("NFC").trim();
  return options.caseless ? text.toLowerCase().normalize("NFC") : text;
}

/** A URL as natural keys compare it: `keyText`, with its scheme and host in lower case. */
export function urlKeyText(value: unknown): string {
  return keyText(value).replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)/, (_m, scheme: string, host: string) => `${scheme}${host}`.toLowerCase());
}

/** One text part of a natural key as messages show it: `name "Staging"`. */
export function keyPart(label: string, value: unknown, options?: KeyTextOptions): string {
  return `${label} "${keyText(value, options)}"`;
}

/** A URL part of a natural key: `url "https://hooks.example.com/Events"`. */
export function urlKeyPart(label: string, value: unknown): string {
  return `${label} "${urlKeyText(value)}"`;
}
