import { accountDirectory } from "../adapters/db/repositories/account-directory";
import type { Config } from "../config";
import { makeFindTenants } from "../core/usecases/signup/find-tenants";
import { makeSignUp } from "../core/usecases/signup/sign-up";
import { accountLinks } from "./account-links";
import type { CoreAdapters } from "./core-adapters";

/**
 * Where a mail tells a user to sign in to a tenant: its own host under BASE_DOMAIN (with the scheme
 * of APP_URL), else the web app with the slug to sign in with.
 */
export function signInUrl({ appUrl, baseDomain }: Pick<Config["http"], "appUrl" | "baseDomain">) {
  const scheme = new URL(appUrl).protocol;
  return (slug: string) =>
    baseDomain ? `${scheme}//${slug}.${baseDomain}` : `${appUrl}/login?tenant=${encodeURIComponent(slug)}`;
}

/** Self-service sign-up and "find your workspace". */
export function wireSignup(config: Config, { db, uow, hasher, mailer, ids, clock, cache }: CoreAdapters) {
  const directory = accountDirectory(db);
  const hints = signInUrl(config.http);
  return {
    signUp: makeSignUp({
      uow,
      directory,
      hasher,
      mailer,
      ids,
      clock,
      links: accountLinks(config.http),
      verificationTtlSeconds: config.account.verificationTtlSeconds,
      cache,
      tenantCacheTtlSeconds: config.cache.tenantTtlSeconds,
      signInUrl: hints,
    }),
    findTenants: makeFindTenants({ directory, mailer, signInUrl: hints }),
  };
}
