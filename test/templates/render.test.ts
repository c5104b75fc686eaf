/**
 * The vendors' templating as mailform renders it for previews: a fixture template of each vendor
 * rendered with sample data (the text asserted), Mailjet constructs mailform does not support
 * reported instead of rendered, MJML compiled, and the content checks located.
 */
import { describe, expect, it } from "vitest";
import { formatDate, renderHandlebars } from "../../templates/handlebars";
import { renderMailjet } from "../../templates/mailjet";
import { compileMjml } from "../../templates/mjml";
import { checkMessage } from "../../templates/checks";

const text = (r: { text: string } | { issue: unknown }) => {
  if (!("text" in r)) throw new Error(`not rendered: ${JSON.stringify(r.issue)}`);
  return r.text;
};

describe("SendGrid dynamic templates (Handlebars with SendGrid's helpers)", () => {
  it("renders variables, conditions, loops and the documented helpers", () => {
    const source = [
      "Hi {{insert name \"default=Customer\"}}, order {{order.id}}",
      "{{#greaterThan order.total 100}}free shipping{{else}}shipping 5{{/greaterThan}}",
      "{{#equals order.status \"paid\"}}PAID{{/equals}}{{#notEquals order.status \"paid\"}}UNPAID{{/notEquals}}",
      "{{#each order.items}}[{{this.sku}} x{{this.qty}}]{{/each}} ({{length order.items}} items)",
      "{{#and vip order.total}}VIP{{/and}}{{#or missing vip}}+{{/or}}{{#lessThan order.total 10}}small{{/lessThan}}",
      "on {{formatDate order.date \"MMMM DD, YYYY\"}} <b>{{html}}</b>",
    ].join("\n");
    const data = { order: { id: "A-7", total: 120, status: "paid", date: "2026-03-05T10:00:00Z", items: [{ sku: "mug", qty: 2 }, { sku: "cap", qty: 1 }] }, vip: true, html: "<i>" };
    expect(text(renderHandlebars(source, data, "sendgrid"))).toBe(
      ["Hi Customer, order A-7", "free shipping", "PAID", "[mug x2][cap x1] (2 items)", "VIP+", "on March 05, 2026 <b>&lt;i&gt;</b>"].join("\n"),
    );
  });

  it("formatDate shifts by the timezone offset and keeps what is not a token", () => {
    expect(formatDate("2026-01-01T02:30:00Z", "YYYY-MM-DD hh:mm A", "-0500")).toBe("2025-12-31 09:30 PM");
  });

  it("a syntax error is located at its line and column", () => {
    const r = renderHandlebars("Hello\n  {{#if x}}yes{{/each}}", {}, "sendgrid");
    expect("issue" in r && r.issue.code).toBe("TEMPLATE_SYNTAX");
    const unclosed = checkMessage({ label: "", title: "t", language: "handlebars-sendgrid", html: { field: ["html"], text: "<p>\n  Hi {{name}\n</p>" }, textGenerated: true });
    expect(unclosed).toHaveLength(1);
    expect(unclosed[0]).toMatchObject({ code: "TEMPLATE_SYNTAX", severity: "error" });
    expect("<p>\n  Hi {{name}\n</p>".slice(0, unclosed[0]!.offset).split("\n").length).toBe(2);
  });
});

describe("Mailtrap templates (plain Handlebars)", () => {
  it("renders with the built-in helpers", () => {
    const r = renderHandlebars("Welcome {{user.name}}{{#if trial}} (trial ends {{trial.ends}}){{/if}}{{#unless paid}}!{{/unless}}", { user: { name: "Ada" }, trial: { ends: "May 1" } }, "mailtrap");
    expect(text(r)).toBe("Welcome Ada (trial ends May 1)!");
  });

  it("a SendGrid-only helper is an error in a Mailtrap template", () => {
    const found = checkMessage({ label: "", title: "t", language: "handlebars-mailtrap", subject: { field: ["subject"], text: "{{#equals a 1}}x{{/equals}}" } });
    expect(found.map((i) => i.code)).toEqual(["TEMPLATE_SYNTAX"]);
    expect(found[0]!.problem).toContain('no helper "equals"');
  });
});

describe("Mailjet's template language", () => {
  it("renders variables with defaults, conditions and loops", () => {
    const source = [
      'Hello {{var:firstname:"friend"}} {{var:lastname:""}}!',
      '{% if var:total > 100 %}big{% elseif var:total == 0 %}none{% else %}small{% endif %}',
      "{% for item in var:items %}<li>{{item.name}}: {{item.price}}</li>{% endfor %}",
      '{% if not var:vip and var:country == "FR" %}bonjour{% endif %}',
    ].join("\n");
    expect(text(renderMailjet(source, { total: 42, items: [{ name: "mug", price: 9 }, { name: "cap", price: 12 }], country: "FR" }))).toBe(
      ["Hello friend !", "small", "<li>mug: 9</li><li>cap: 12</li>", "bonjour"].join("\n"),
    );
  });

  it("reports what mailform does not support instead of rendering it", () => {
    const r = renderMailjet("Total: {{var:price * 1.2}}", { price: 10 });
    expect("issue" in r && r.issue).toMatchObject({ code: "TEMPLATE_UNSUPPORTED", offset: 7 });
    const set = renderMailjet("{% set x = 1 %}", {});
    expect("issue" in set && set.issue.code).toBe("TEMPLATE_UNSUPPORTED");
  });

  it("an unclosed if is a located syntax error", () => {
    const r = renderMailjet("a\n{% if var:x %}b", {});
    expect("issue" in r && r.issue).toMatchObject({ code: "TEMPLATE_SYNTAX", offset: 2 });
  });
});

describe("MJML", () => {
  it("compiles to HTML that holds the text", () => {
    const r = compileMjml("<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{name}}</mj-text></mj-column></mj-section></mj-body></mjml>");
    expect("html" in r && r.html).toContain("Hi {{name}}");
    expect("html" in r && r.html).toMatch(/^<!doctype html>/i);
  });

  it("an unknown element is located at its line and column", () => {
    const r = compileMjml("<mjml>\n<mj-body>\n  <mj-section>\n    <mj-colum><mj-text>x</mj-text></mj-colum>\n  </mj-section>\n</mj-body>\n</mjml>");
    expect("problems" in r && r.problems[0]).toMatchObject({ line: 4, column: 5 });
  });
});

describe("content checks", () => {
  it("names undefined variables, http links, anchors without href, images without alt and a missing text part", () => {
    const found = checkMessage({
      label: "",
      title: "t",
      language: "handlebars-mailtrap",
      sampleData: { name: "Ada" },
      subject: { field: ["subject"], text: "Hi {{name}}" },
      html: { field: ["html"], text: '<a href="http://x.example">x</a><a>y</a><img src="https://i.example/a.png">{{coupon}}' },
    });
    expect(found.map((i) => i.code).sort()).toEqual([
      "TEMPLATE_EMPTY_LINK",
      "TEMPLATE_IMAGE_NO_ALT",
      "TEMPLATE_INSECURE_LINK",
      "TEMPLATE_NO_TEXT",
      "TEMPLATE_UNDEFINED_VARIABLE",
    ]);
    expect(found.find((i) => i.code === "TEMPLATE_UNDEFINED_VARIABLE")!.problem).toContain('"coupon"');
  });

  it("a Mailjet default or a variable inside each is not undefined", () => {
    expect(checkMessage({ label: "", title: "t", language: "mailjet", sampleData: {}, text: { field: ["text"], text: '{{var:a:"x"}}' } })).toEqual([]);
    expect(
      checkMessage({ label: "", title: "t", language: "handlebars-sendgrid", sampleData: { items: [] }, text: { field: ["text"], text: "{{#each items}}{{sku}}{{/each}}" } }),
    ).toEqual([]);
  });
});
