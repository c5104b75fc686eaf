/**
 * The vendor modules the emulator runs, one per vendor (see `VendorModule` in `core/types.ts`).
 */
import type { VendorModule, VendorName } from "./core/types";
import { createMailjetModule } from "./mailjet";
import { createMailtrapModule } from "./mailtrap";
import { createSendgridModule } from "./sendgrid";

export function createVendorModules(): Record<VendorName, VendorModule> {
  return {
    mailtrap: createMailtrapModule(),
    sendgrid: createSendgridModule(),
    mailjet: createMailjetModule(),
  };
}
