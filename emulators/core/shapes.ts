/**
 * Alternative response shapes: where the published document and clients written against the live
 * API disagree on a body's shape, the emulator serves either, so the providers can be tested
 * against each. The first value of each is the documented shape and the default.
 *
 * - `sendgridApiKey`, `GET /v3/api_keys/{id}`: `result` = `{result: [{api_key_id, name, scopes}]}`
 *   (the document); `flat` = `{api_key_id, name, scopes}` (what the Go clients of the Terraform
 *   providers decode).
 * - `sendgridApiKeyList`, `GET /v3/api_keys`: `result` = `{result: [...]}`; `array` = a bare array
 *   (what one of those clients decodes).
 * - `sendgridTemplateList`, `GET /v3/templates`: `result` = `{result: [...], _metadata}`, paged;
 *   `templates` = `{templates: [...]}`, every match at once (the live answer to an unpaged request,
 *   reported in SendGrid's client issues).
 */
export const RESPONSE_SHAPES = {
  sendgridApiKey: ["result", "flat"],
  sendgridApiKeyList: ["result", "array"],
  sendgridTemplateList: ["result", "templates"],
} as const;

export type ResponseShapes = { -readonly [K in keyof typeof RESPONSE_SHAPES]: (typeof RESPONSE_SHAPES)[K][number] };

export function documentedShapes(): ResponseShapes {
  return Object.fromEntries(Object.entries(RESPONSE_SHAPES).map(([name, values]) => [name, values[0]])) as ResponseShapes;
}

/** Every shape that is not the documented one. */
export function alternativeShapes(): ResponseShapes {
  return Object.fromEntries(Object.entries(RESPONSE_SHAPES).map(([name, values]) => [name, values[1]])) as ResponseShapes;
}

/** Checks a (partial) setting; returns an error message or the normalized setting. */
export function validateShapes(input: unknown): Partial<ResponseShapes> | string {
  if (!input || typeof input !== "object" || Array.isArray(input)) return "Expected a JSON object";
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    const allowed = (RESPONSE_SHAPES as Record<string, readonly string[]>)[name];
    if (!allowed) return `Unknown response shape \`${name}\`; known: ${Object.keys(RESPONSE_SHAPES).join(", ")}`;
    if (!allowed.includes(value as string)) return `Expected \`${name}\` to be one of ${allowed.join(", ")}`;
    out[name] = value as string;
  }
  return out as Partial<ResponseShapes>;
}
