/**
 * The tolerant SendGrid readers on their own: each documented and observed shape, and a loud
 * error (not "nothing there") for anything else. The kinds suite runs the same readers against
 * the emulator serving each shape.
 */
import { describe, expect, it } from "vitest";
import { apiKeyDetails, apiKeyList, templatePage } from "../../providers/sendgrid/responses";

const key = { api_key_id: "k1", name: "CI", scopes: ["mail.send"] };

describe("SendGrid response readers", () => {
  it("read a single key wrapped in `result` or flat; an empty `result` is no key", () => {
    expect(apiKeyDetails({ result: [key] })).toEqual(key);
    expect(apiKeyDetails(key)).toEqual(key);
    expect(apiKeyDetails({ result: [] })).toBeUndefined();
  });

  it("read the key list wrapped in `result` or bare", () => {
    expect(apiKeyList({ result: [key] })).toEqual([key]);
    expect(apiKeyList([key])).toEqual([key]);
  });

  it("read the template list paged under `result` or whole under `templates`", () => {
    expect(templatePage({ result: [{ id: "t" }], _metadata: { next: "https://x/v3/templates?page_token=a" } })).toEqual({
      items: [{ id: "t" }],
      next: "https://x/v3/templates?page_token=a",
    });
    expect(templatePage({ result: [], _metadata: {} })).toEqual({ items: [] });
    expect(templatePage({ templates: [{ id: "t" }] })).toEqual({ items: [{ id: "t" }] });
  });

  it("fail naming the request and the keys seen, never taking an unknown shape for an empty one", () => {
    expect(() => apiKeyDetails({ data: key })).toThrow(/SendGrid: GET \/v3\/api_keys\/\{api_key_id\} answered in a shape mailform does not read \(keys data\)/);
    expect(() => apiKeyList({ keys: [] })).toThrow(/GET \/v3\/api_keys answered .*\(keys keys\)/);
    expect(() => templatePage([])).toThrow(/GET \/v3\/templates answered .*\(an array\)/);
    expect(() => apiKeyDetails("")).toThrow(/\(string\)/);
  });
});
