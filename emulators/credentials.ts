/**
 * Credentials the emulators accept. Every value here is an obviously fake demo value: the
 * emulators accept exactly the configured credentials and answer anything else with the
 * vendor's own 401.
 */
export interface EmulatorCredentials {
  mailtrap: { apiToken: string; accountId: number };
  sendgrid: { apiKey: string };
  mailjet: { apiKey: string; secretKey: string };
}

export const DEFAULT_CREDENTIALS: EmulatorCredentials = {
  mailtrap: { apiToken: "mt-demo-token-0000", accountId: 1000001 },
  sendgrid: { apiKey: "SG.demo-key-0000.emulator-only-0000" },
  mailjet: { apiKey: "mj-demo-public-0000", secretKey: "mj-demo-secret-0000" },
};

/** Fills the gaps of a partial credential set with the defaults, vendor by vendor. */
export function resolveCredentials(partial?: Partial<EmulatorCredentials>): EmulatorCredentials {
  return {
    mailtrap: { ...DEFAULT_CREDENTIALS.mailtrap, ...partial?.mailtrap },
    sendgrid: { ...DEFAULT_CREDENTIALS.sendgrid, ...partial?.sendgrid },
    mailjet: { ...DEFAULT_CREDENTIALS.mailjet, ...partial?.mailjet },
  };
}
