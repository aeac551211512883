import { and, eq, isNull } from "drizzle-orm";
import { oneTimeTokens } from "../../src/adapters/db/schema";
import { tenantScope } from "../../src/core/domain/data-scope";
import type { OneTimePurpose } from "../../src/core/ports/repositories";
import { issueOneTimeToken } from "../../src/core/usecases/account/one-time-tokens";
import type { TestApp } from "./app";

const PURPOSES: OneTimePurpose[] = ["invitation", "email_verification", "password_reset", "email_change"];
const LINK_PASSWORD = "Link-Passphrase-7319";

/** The endpoint that uses each kind of link, and the body it takes. */
const redeem: Record<OneTimePurpose, (token: string) => [string, Record<string, string>]> = {
  invitation: (token) => ["/api/v1/auth/accept-invitation", { token, newPassword: LINK_PASSWORD }],
  email_verification: (token) => ["/api/v1/auth/verify-email", { token }],
  password_reset: (token) => ["/api/v1/auth/reset-password", { token, newPassword: LINK_PASSWORD }],
  email_change: (token) => ["/api/v1/auth/confirm-email-update", { token }],
};

export type Links = Record<OneTimePurpose, string>;

/** One outstanding link of every kind for the user, as if each had just been mailed: the raw tokens. */
export async function issueEveryLink(t: TestApp, user: { id: string; tenantId: string }): Promise<Links> {
  const links = {} as Links;
  for (const purpose of PURPOSES) {
    links[purpose] = await t.uow.transaction(tenantScope(user.tenantId), (repos) =>
      issueOneTimeToken(repos, t, {
        tenantId: user.tenantId,
        userId: user.id,
        purpose,
        ttlSeconds: 3600,
        newEmail: purpose === "email_change" ? `${t.unique("moved")}@example.com` : undefined,
      }),
    );
  }
  return links;
}

/** The purposes of the user's links still stored unused. */
export async function unusedLinks(t: TestApp, userId: string): Promise<OneTimePurpose[]> {
  const rows = await t.db
    .select({ purpose: oneTimeTokens.purpose })
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.userId, userId), isNull(oneTimeTokens.usedAt)));
  return rows.map((row) => row.purpose).sort();
}

/** Uses each link on its endpoint; the status and code of every answer, by kind. */
export async function useLinks(t: TestApp, links: Partial<Links>) {
  const answers: Partial<Record<OneTimePurpose, { status: number; code: unknown }>> = {};
  for (const [purpose, token] of Object.entries(links) as [OneTimePurpose, string][]) {
    const [path, body] = redeem[purpose](token);
    const res = await t.call("POST", path, { body });
    answers[purpose] = { status: res.status, code: res.body?.code };
  }
  return answers;
}

/** What useLinks answers when every link is dead: the existing invalid-link error, for each kind. */
export function everyLinkRefused(links: Partial<Links>) {
  return Object.fromEntries(
    Object.keys(links).map((purpose) => [purpose, { status: 422, code: "INVALID_TOKEN" }]),
  );
}
