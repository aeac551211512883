/**
 * The keys the API-key and Unleash scenarios send, created as a tenant's admin creates them: signed
 * in, through POST /api/v1/api-keys: `apiKeys` `sk_` keys (flags:read) spread over the tenants as the
 * JWT scenarios' sessions are (the n-th in tenant n mod tenants), one `ck_` key per tenant with the
 * ETag the client API gives it, and one `fk_` key of the frontend tenant. Each kind is
 * tried once here, so a scenario never measures a stream of refusals (wrk counts only statuses of
 * 400 and above as errors: a 200 where a 304 is meant would pass unseen).
 */

import type { Dataset } from "./seed-dataset";

export interface BenchKeys {
  api: string[];
  client: { token: string; etag: string }[];
  frontend: string;
}

type Login = (tenant: string, email: string, password: string) => Promise<{ accessToken: string }>;

/** The frontend API's query, as unleash-proxy-client sends it (properties[...] encoded). */
export const FRONTEND_QUERY =
  "appName=web-app&environment=default&properties%5Bseats%5D=12&properties%5Bversion%5D=2.4.0";

async function expectStatus(res: Response, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${await res.text()}`);
}

export async function createBenchKeys(
  baseUrl: string,
  dataset: Dataset,
  login: Login,
  counts: { apiKeys: number; frontendFlags: number },
): Promise<BenchKeys> {
  const create = async (accessToken: string, body: Record<string, unknown>) => {
    const res = await fetch(`${baseUrl}/api/v1/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    await expectStatus(res, 201, `create ${body.kind} key`);
    return ((await res.json()) as { secret: string }).secret;
  };
  const etagOf = async (token: string) => {
    const url = `${baseUrl}/api/client/features`;
    const first = await fetch(url, { headers: { authorization: token } });
    await expectStatus(first, 200, "client features");
    const etag = first.headers.get("etag");
    if (!etag) throw new Error("client features: no ETag");
    const again = await fetch(url, { headers: { authorization: token, "if-none-match": etag } });
    await expectStatus(again, 304, "client features with If-None-Match");
    return etag;
  };

  const tenantCount = dataset.tenants.length;
  const api: string[][] = [];
  const keys: BenchKeys = { api: [], client: [], frontend: "" };
  for (let i = 0; i < tenantCount; i += 4) {
    const batch = dataset.tenants.slice(i, i + 4).map(async (tenant, j) => {
      const { accessToken } = await login(tenant.slug, tenant.admin, dataset.password);
      const apiKeys: string[] = [];
      for (let n = i + j; n < counts.apiKeys; n += tenantCount) {
        apiKeys.push(
          await create(accessToken, { name: `bench api ${n}`, kind: "api", permissions: ["flags:read"] }),
        );
      }
      const client = await create(accessToken, { name: "bench client", kind: "client" });
      return { apiKeys, client: { token: client, etag: await etagOf(client) } };
    });
    for (const { apiKeys, client } of await Promise.all(batch)) {
      api.push(apiKeys);
      keys.client.push(client);
    }
  }
  for (let n = 0; n < counts.apiKeys; n++) {
    const key = api[n % tenantCount]?.[Math.floor(n / tenantCount)];
    if (key) keys.api.push(key);
  }
  const evaluated = await fetch(`${baseUrl}/api/v1/features/evaluate`, {
    method: "POST",
    headers: { authorization: `Bearer ${keys.api[0]}`, "content-type": "application/json" },
    body: JSON.stringify({ key: dataset.flagKeys[0], context: { appName: "web-app" } }),
  });
  await expectStatus(evaluated, 200, "evaluate with an api key");

  const { frontend } = dataset;
  const { accessToken } = await login(frontend.slug, frontend.admin, dataset.password);
  keys.frontend = await create(accessToken, { name: "bench frontend", kind: "frontend" });
  const toggles = await fetch(`${baseUrl}/api/frontend?${FRONTEND_QUERY}`, {
    headers: { authorization: keys.frontend },
  });
  await expectStatus(toggles, 200, "frontend toggles");
  const count = ((await toggles.json()) as { toggles: unknown[] }).toggles.length;
  if (count !== counts.frontendFlags) {
    throw new Error(`frontend toggles: ${count}, expected ${counts.frontendFlags}`);
  }
  return keys;
}
