import { describe, expect, it } from "vitest";
import { formatPath } from "../../config/source";
import { didYouMean, editDistance, listOr } from "../../config/suggest";

describe("did you mean", () => {
  it("counts a transposition as one edit", () => {
    expect(editDistance("mail.sned", "mail.send")).toBe(1);
    expect(editDistance("nmae", "name")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("suggests near misses, casing and separator slips, and prefixes", () => {
    expect(didYouMean("nmae", ["name", "inboxes"])).toBe("name");
    expect(didYouMean("email_username", ["name", "emailUsername"])).toBe("emailUsername");
    expect(didYouMean("ReplyTo", ["From", "Subject", "Reply-To"])).toBe("Reply-To");
    expect(didYouMean("inbox", ["name", "inboxes"])).toBe("inboxes");
    expect(didYouMean("html_part", ["headers", "html", "text", "mjml"])).toBe("html");
  });

  it("stays quiet when nothing is close, and for very short words", () => {
    expect(didYouMean("mailgun", ["mailtrap", "sendgrid", "mailjet"])).toBeUndefined();
    expect(didYouMean("v3", ["v1", "v2"])).toBeUndefined();
    expect(didYouMean("name", ["name"])).toBeUndefined();
  });

  it("lists alternatives", () => {
    expect(listOr(["a"])).toBe("a");
    expect(listOr(["a", "b", "c"])).toBe("a, b or c");
  });
});

describe("formatPath", () => {
  it("writes field paths as users read them", () => {
    expect(formatPath(["mailtrap", "apiTokens", "ci", "permissions", 1, "inbox"])).toBe("mailtrap.apiTokens.ci.permissions[1].inbox");
    expect(formatPath(["mailtrap", "projects", "Bad Key"])).toBe('mailtrap.projects["Bad Key"]');
    expect(formatPath(["mailjet", "templates", "t", "content", "headers", "Reply-To"])).toBe("mailjet.templates.t.content.headers.Reply-To");
    expect(formatPath([])).toBe("");
  });
});
