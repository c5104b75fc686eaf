/**
 * Where credentials may be sent: over https to any host, over plain http only to this machine
 * (the emulators, a local proxy). Anything else would put an API key on the wire in clear text.
 */
import { isIP } from "node:net";

export function checkEndpoint(baseUrl: string, settingName: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`mailform: ${settingName} is "${baseUrl}", which is not a URL. Fix it with: pulumi config set mailform:${settingName} https://...`);
  }
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && isLoopback(url.hostname)) return;
  const why = url.protocol === "http:" ? `plain http to ${url.hostname}, which is not this machine` : `the ${url.protocol} scheme`;
  throw new Error(
    `mailform: ${settingName} is "${url.origin}": refusing to send credentials over ${why}. ` +
      `Use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1]). ` +
      `Fix it with: pulumi config set mailform:${settingName} https://${url.host}`,
  );
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(host);
  return false;
}
