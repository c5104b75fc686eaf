/** `GET /api/accounts`: the one account the configured token belongs to (owner: access level 1000). */
import type { Route } from "../core/types";

export const ACCOUNT_NAME = "Demo Account";

export function accountRoutes(): Route[] {
  return [
    {
      method: "GET",
      pattern: "/api/accounts",
      handle: ({ credentials }) => ({
        status: 200,
        body: [{ id: credentials.mailtrap.accountId, name: ACCOUNT_NAME, access_levels: [1000] }],
      }),
    },
  ];
}
