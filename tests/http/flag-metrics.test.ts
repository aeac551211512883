import { beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, testApp } from "../support/app";
import { allowDatabaseStartup } from "../support/slow-setup";

allowDatabaseStartup();

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

async function flagOf(token: string, body: Record<string, unknown>) {
  const res = await t.call("POST", "/api/v1/features", { token, body });
  if (res.status !== 201) throw new Error(`create flag: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; key: string };
}

const evaluate = (token: string, key: string, userId: string) =>
  t.call("POST", "/api/v1/features/evaluate", { token, body: { key, context: { userId } } });

describe("flag metrics", () => {
  test("evaluations are counted per hour with their variants, written by the flush, summed across flushes", async () => {
    const { admin } = await t.team();
    const key = t.unique("metered");
    const flag = await flagOf(admin.accessToken, {
      key,
      enabled: true,
      strategies: [{ name: "userWithId", parameters: { userIds: "u1,u2" } }],
      variants: [{ name: "blue", weight: 1000 }],
    });
    for (const userId of ["u1", "u2", "u3"])
      expect((await evaluate(admin.accessToken, key, userId)).status).toBe(200);
    await t.useCases.flagMetrics.flush();
    await evaluate(admin.accessToken, key, "u1");
    await t.useCases.flagMetrics.flush();

    const res = await t.call("GET", `/api/v1/features/${flag.id}/metrics?hours=24`, {
      token: admin.accessToken,
    });
    expect(res.status).toBe(200);
    expect(res.body.key).toBe(key);
    // One hour, or two when the test ran across an hour's end: the sums are the same.
    const hours = res.body.hours as {
      hour: string;
      yes: number;
      no: number;
      variants: Record<string, number>;
    }[];
    const sum = (count: (h: (typeof hours)[number]) => number) =>
      hours.reduce((total, h) => total + count(h), 0);
    expect([sum((h) => h.yes), sum((h) => h.no), sum((h) => h.variants.blue ?? 0)]).toEqual([3, 1, 3]);
    for (const { hour } of hours) expect(new Date(hour).getUTCMinutes()).toBe(0);
  });

  test("another tenant's evaluations of a platform-wide flag never show in mine", async () => {
    const mine = await t.team();
    const theirs = await t.team();
    const root = await t.platformAdmin();
    const key = t.unique("shared");
    const flag = await flagOf(root.accessToken, { key, enabled: true, platform: true });
    await evaluate(theirs.admin.accessToken, key, "x");
    await evaluate(theirs.admin.accessToken, key, "y");
    await evaluate(mine.admin.accessToken, key, "z");
    await t.useCases.flagMetrics.flush();
    const res = await t.call("GET", `/api/v1/features/${flag.id}/metrics`, { token: mine.admin.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.hours.reduce((total: number, h: { yes: number }) => total + h.yes, 0)).toBe(1);
  });

  test("another tenant's flag is 404, hours out of 1-720 is 422, no token is 401", async () => {
    const mine = await t.team();
    const theirs = await t.team();
    const flag = await flagOf(theirs.admin.accessToken, { key: t.unique("private"), enabled: true });
    expect(
      (await t.call("GET", `/api/v1/features/${flag.id}/metrics`, { token: mine.admin.accessToken })).status,
    ).toBe(404);
    const own = await flagOf(mine.admin.accessToken, { key: t.unique("own"), enabled: true });
    expect(
      (await t.call("GET", `/api/v1/features/${own.id}/metrics?hours=0`, { token: mine.admin.accessToken }))
        .status,
    ).toBe(422);
    expect(
      (await t.call("GET", `/api/v1/features/${own.id}/metrics?hours=721`, { token: mine.admin.accessToken }))
        .status,
    ).toBe(422);
    expect((await t.call("GET", `/api/v1/features/${own.id}/metrics`)).status).toBe(401);
  });
});
