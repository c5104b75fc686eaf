/**
 * Tolerant readers of SendGrid bodies whose shape differs between the published document and
 * what clients written against the live API decode. Each accepts every shape documented or seen,
 * and fails loudly on anything else: a body read as "nothing there" would make refresh drop an
 * object from state, or adoption miss one, and the next `up` create a duplicate.
 */

/** Thrown on a 200 body in no known shape; names the request and the body's top-level keys only. */
function unknownShape(what: string, body: unknown): Error {
  const seen = Array.isArray(body) ? "an array" : body && typeof body === "object" ? `keys ${Object.keys(body).join(", ") || "(none)"}` : typeof body;
  return new Error(
    `SendGrid: ${what} answered in a shape mailform does not read (${seen}); nothing was changed. ` +
      "Please report it with the request, so the reader can learn the shape.",
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface ApiKeyDetails {
  api_key_id: string;
  name: string;
  scopes?: string[];
}

/**
 * `GET /v3/api_keys/{id}`: `{result: [{api_key_id, name, scopes}]}` (the document) or the flat
 * `{api_key_id, name, scopes}` (the Go clients of the Terraform providers). An empty `result`
 * means no such key.
 */
export function apiKeyDetails(body: unknown): ApiKeyDetails | undefined {
  if (isObject(body) && Array.isArray(body.result)) return body.result[0] as ApiKeyDetails | undefined;
  if (isObject(body) && typeof body.api_key_id === "string") return body as unknown as ApiKeyDetails;
  throw unknownShape("GET /v3/api_keys/{api_key_id}", body);
}

/** `GET /v3/api_keys`: `{result: [...]}` (the document) or a bare array (decoded so by one Go client). */
export function apiKeyList(body: unknown): { api_key_id: string; name: string }[] {
  if (isObject(body) && Array.isArray(body.result)) return body.result as { api_key_id: string; name: string }[];
  if (Array.isArray(body)) return body as { api_key_id: string; name: string }[];
  throw unknownShape("GET /v3/api_keys", body);
}

/**
 * `GET /v3/templates`: `{result: [...], _metadata: {next?}}` (the document, paged) or
 * `{templates: [...]}` (the live answer to an unpaged request, as reported in SendGrid's client
 * issues), which is every template at once.
 */
export function templatePage<T>(body: unknown): { items: T[]; next?: string } {
  if (isObject(body) && Array.isArray(body.result)) {
    const next = isObject(body._metadata) && typeof body._metadata.next === "string" ? body._metadata.next : undefined;
    return { items: body.result as T[], ...(next ? { next } : {}) };
  }
  if (isObject(body) && Array.isArray(body.templates)) return { items: body.templates as T[] };
  throw unknownShape("GET /v3/templates", body);
}
