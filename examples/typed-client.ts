import { treaty } from "@elysiajs/eden";
import type { App } from "../src/http/app";

/**
 * Sign in, then read your own profile, through the typed client: the request bodies and the answers
 * (problems included) are the server's route types, so a client that drifts from the API stops
 * compiling. `server` is a base URL, or the app itself (in tests: no network).
 */
export async function whoAmI(
  server: string | App,
  credentials: { email: string; password: string; tenant: string },
) {
  const { data: tokens, error } = await treaty<App>(server).api.v1.auth.login.post(credentials);
  if (error) throw new Error(`sign-in refused: ${error.status} ${error.value.code}`);
  if ("mfaToken" in tokens)
    throw new Error("this account signs in with a second factor: POST /auth/mfa/verify");

  const api = treaty<App>(server, { headers: { authorization: `Bearer ${tokens.accessToken}` } }).api.v1;
  const me = await api.users.me.get();
  if (me.error) throw new Error(`profile refused: ${me.error.status}`);
  return { id: me.data.id, email: me.data.email, role: me.data.role, tenantId: me.data.tenantId };
}

if (import.meta.main) {
  const [email, password, tenant] = process.argv.slice(2);
  if (!email || !password || !tenant) {
    console.error(
      "usage: bun examples/typed-client.ts <email> <password> <tenant-slug>   (API_URL, default http://localhost:8080)",
    );
    process.exit(2);
  }
  console.log(await whoAmI(process.env.API_URL ?? "http://localhost:8080", { email, password, tenant }));
}
