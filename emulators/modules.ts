/**
 * The vendor modules the emulator runs, one per vendor. Replace a placeholder with the real
 * module when it exists (e.g. `createSendgridModule` from `./sendgrid`).
 */
import { createMailjetPlaceholder, createSendgridPlaceholder } from "./core/placeholder";
import type { VendorModule, VendorName } from "./core/types";
import { createMailtrapModule } from "./mailtrap";

export function createVendorModules(): Record<VendorName, VendorModule> {
  return {
    mailtrap: createMailtrapModule(),
    sendgrid: createSendgridPlaceholder(),
    mailjet: createMailjetPlaceholder(),
  };
}
