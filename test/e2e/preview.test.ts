/**
 * `mailform preview`: one template of each vendor, applied, then changed in the stack file; the
 * preview renders each before (live) and after (stack file) with its sample data into an HTML
 * report, and, with Debian's chromium installed (engine/test-services.sh installs it), PNG
 * screenshots that are not blank and show the rendered subject.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulators } from "../support/emulators";
import { emulatedVendors, TestProject } from "../support/project";
import { chromiumAvailable } from "../../templates/screenshots";

function stack(after: boolean): string {
  const word = after ? "Hello" : "Welcome";
  return `
mailtrap:
  emailTemplates:
    welcome:
      name: Welcome
      category: onboarding
      subject: "${word} {{user.name}}"
      html: "<h1>${word} {{user.name}}</h1>{{#if trial}}<p>Trial ends {{trial.ends}}</p>{{/if}}"
      text: "${word} {{user.name}}"
      sampleData: { user: { name: Ada }, trial: { ends: "May 1" } }
sendgrid:
  templates:
    receipt:
      name: Receipt
      generation: dynamic
      versions:
        v1:
          name: v1
          subject: "${after ? "Your receipt" : "Receipt"} {{order.id}}"
          html: "<p>{{#greaterThan order.total 100}}Free shipping{{else}}Shipping 5{{/greaterThan}} for {{order.id}}</p>${after ? '<a href=\\"http://shop.example/track\\">track</a>' : ""}"
          testData: { order: { id: A-7, total: ${after ? 120 : 80} } }
mailjet:
  templates:
    news:
      name: News
      isTextPartGenerationEnabled: true
      content:
        headers: { Subject: "${after ? "Big" : "Monthly"} news for {{var:name:\\"you\\"}}" }
        html: "<p>{% if var:vip %}VIP {% endif %}{{var:name:\\"friend\\"}}</p>"
      sampleData: { name: Lin, vip: ${after} }
`;
}

/** Pixels of an 8-bit RGB or RGBA, non-interlaced PNG (what chromium writes). */
function decodePng(file: string): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  const buf = fs.readFileSync(file);
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const channels = buf[25] === 6 ? 4 : 3;
  const chunks: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const len = buf.readUInt32BE(at);
    if (buf.toString("latin1", at + 4, at + 8) === "IDAT") chunks.push(buf.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(chunks));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? out[y * stride + i - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = y > 0 && i >= channels ? out[(y - 1) * stride + i - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      out[y * stride + i] = (x + [0, a, b, (a + b) >> 1, paeth][filter]!) & 0xff;
    }
  }
  return { width, height, pixel: (x, y) => [...out.subarray(y * stride + x * channels, y * stride + x * channels + 3)] };
}

/** Dark pixels in a band of rows: text drawn there. */
function darkPixels(png: ReturnType<typeof decodePng>, top: number, bottom: number): number {
  let dark = 0;
  for (let y = top; y < bottom; y++) for (let x = 0; x < png.width; x++) if (png.pixel(x, y).every((v) => v < 100)) dark++;
  return dark;
}

describe("mailform preview", () => {
  const ctx = useEmulators(() => ({}));
  let project: TestProject;
  let index: string;
  let planCalls = 0;
  let planOut = "";
  let previewCalls = 0;
  const page = (name: string) => fs.readFileSync(path.join(project.dir, "out", name), "utf8");

  beforeAll(async () => {
    project = await TestProject.create({ endpoints: emulatedVendors(ctx.emu.urls) });
    project.writeStack(stack(false));
    await project.up();
    project.writeStack(stack(true));
    await ctx.admin.resetRequestCounts();
    const plan = await project.mailform(["plan"]);
    expect(plan.code, plan.stderr).toBe(0);
    planOut = plan.stdout;
    planCalls = (await ctx.admin.requestCounts()).reduce((n, e) => n + e.count, 0);
    await ctx.admin.resetRequestCounts();
    const r = await project.mailform(["preview", "--out", "out"]);
    previewCalls = (await ctx.admin.requestCounts()).reduce((n, e) => n + e.count, 0);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("3 changed templates rendered into");
    index = page("index.html");
  }, 240_000);

  it("makes no vendor call beyond the ones `mailform plan` makes (the same refreshed engine preview)", () => {
    expect(planCalls).toBeGreaterThan(0);
    expect(previewCalls).toBe(planCalls);
  });

  it("plan shows the template checks' warnings, located", () => {
    expect(planOut).toContain("### Template checks");
    expect(planOut).toMatch(/stacks\/[\w.-]+\.yaml:\d+:\d+ +warning +sendgrid\.templates\.receipt\.versions\.v1\.html: plain http:\/\/ address http:\/\/shop\.example\/track/);
  });

  it("lists each changed template of the three vendors in the index", () => {
    expect(index).toContain("mailtrap.emailTemplates.welcome");
    expect(index).toContain("sendgrid.templates.receipt.versions.v1");
    expect(index).toContain("mailjet.templates.news");
  });

  it("renders each before and after with its sample data", () => {
    const mailtrap = page("mailtrap.emailTemplates.welcome.html");
    expect(mailtrap).toContain('<span class="subject">Welcome Ada</span>');
    expect(mailtrap).toContain('<span class="subject">Hello Ada</span>');
    expect(mailtrap).toContain("Trial ends May 1");
    const sendgrid = page("sendgrid.templates.receipt.versions.v1.html");
    expect(sendgrid).toContain('<span class="subject">Receipt A-7</span>');
    expect(sendgrid).toContain('<span class="subject">Your receipt A-7</span>');
    expect(sendgrid).toContain("Shipping 5 for A-7");
    expect(sendgrid).toContain("Free shipping for A-7");
    const mailjet = page("mailjet.templates.news.html");
    expect(mailjet).toContain('<span class="subject">Monthly news for Lin</span>');
    expect(mailjet).toContain('<span class="subject">Big news for Lin</span>');
    expect(mailjet).toContain("VIP Lin");
  });

  it.skipIf(!chromiumAvailable())("holds screenshots that are not blank and show the subject", () => {
    for (const side of ["before", "after"]) {
      for (const width of ["desktop", "mobile"]) {
        const file = path.join(project.dir, "out", "screenshots", `mailtrap.emailTemplates.welcome-${side}-${width}.png`);
        const png = decodePng(file);
        expect(png.width).toBe(width === "desktop" ? 1200 : 390);
        // The subject band (top 60 px) holds dark text on white; the body below holds the heading.
        expect(darkPixels(png, 0, 60)).toBeGreaterThan(200);
        expect(darkPixels(png, 70, 200)).toBeGreaterThan(200);
      }
    }
    // "Welcome Ada" and "Hello Ada" differ: the subject band is not the same picture.
    const before = decodePng(path.join(project.dir, "out", "screenshots", "mailtrap.emailTemplates.welcome-before-desktop.png"));
    const after = decodePng(path.join(project.dir, "out", "screenshots", "mailtrap.emailTemplates.welcome-after-desktop.png"));
    let differ = 0;
    for (let y = 0; y < 60; y++) for (let x = 0; x < 600; x++) if (before.pixel(x, y).join() !== after.pixel(x, y).join()) differ++;
    expect(differ).toBeGreaterThan(100);
    expect(page("mailtrap.emailTemplates.welcome.html")).toContain('src="screenshots/mailtrap.emailTemplates.welcome-after-mobile.png"');
  });
});
