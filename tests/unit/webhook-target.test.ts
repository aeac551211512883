import { describe, expect, test } from "bun:test";
import { ValidationError } from "../../src/core/domain/errors";
import { isForbiddenTargetAddress, parseWebhookUrl } from "../../src/core/domain/webhook-target";
import { makeCheckWebhookTarget } from "../../src/core/usecases/webhooks/check-webhook-target";

describe("forbidden webhook target addresses", () => {
  test.each([
    "127.0.0.1",
    "127.255.0.9",
    "0.0.0.0",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.100.100.200",
    "224.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "fc00::1",
    "fd00:ec2::254",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "::127.0.0.1",
    "64:ff9b::7f00:1",
    "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::",
    "not an address",
  ])("refuses %s", (address) => {
    expect(isForbiddenTargetAddress(address)).toBe(true);
  });

  test.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "64:ff9b::808:808"])(
    "allows the public address %s",
    (address) => {
      expect(isForbiddenTargetAddress(address)).toBe(false);
    },
  );
});

describe("webhook URLs", () => {
  test("https only unless http is allowed", () => {
    expect(parseWebhookUrl("http://93.184.215.14/", { allowHttp: false })).toEqual({
      problem: "scheme_not_allowed",
    });
    expect("url" in parseWebhookUrl("http://93.184.215.14/", { allowHttp: true })).toBe(true);
    expect(parseWebhookUrl("ftp://93.184.215.14/", { allowHttp: true })).toEqual({
      problem: "scheme_not_allowed",
    });
  });

  test("refuses credentials, relative URLs and overlong ones", () => {
    expect(parseWebhookUrl("https://u:p@93.184.215.14/", { allowHttp: false })).toEqual({
      problem: "credentials_in_url",
    });
    expect(parseWebhookUrl("/hook", { allowHttp: false })).toEqual({ problem: "not_a_url" });
    expect(parseWebhookUrl(`https://a.example/${"x".repeat(2048)}`, { allowHttp: false })).toEqual({
      problem: "too_long",
    });
  });
});

describe("checking a webhook target", () => {
  const resolving = (table: Record<string, string[]>) => ({
    addresses: async (host: string) => table[host] ?? [],
  });
  const strict = { allowHttp: false, allowPrivateTargets: false };
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  };

  test("a name resolving to a public address passes, with what it resolved to", async () => {
    const check = makeCheckWebhookTarget(resolving({ "hooks.example": ["93.184.215.14"] }), strict);
    const target = await check("https://hooks.example/in");
    expect(target.addresses).toEqual(["93.184.215.14"]);
    expect(target.url.href).toBe("https://hooks.example/in");
  });

  test("a name with any private address among its addresses is refused", async () => {
    const check = makeCheckWebhookTarget(
      resolving({ "rebind.example": ["93.184.215.14", "10.0.0.5"] }),
      strict,
    );
    const error = await refusal(check("https://rebind.example/"));
    expect(error.code).toBe("WEBHOOK_TARGET_FORBIDDEN");
    expect(error.errors[0]?.field).toBe("url");
  });

  test("IP literals are checked without resolving, in every spelling the URL parser accepts", async () => {
    const check = makeCheckWebhookTarget(resolving({}), strict);
    for (const url of [
      "https://127.0.0.1/",
      "https://2130706433/",
      "https://0x7f.1/",
      "https://[::1]/",
      "https://[::ffff:127.0.0.1]/",
      "https://[fd00:ec2::254]/",
      "https://169.254.169.254/latest/meta-data/",
    ]) {
      expect((await refusal(check(url))).code).toBe("WEBHOOK_TARGET_FORBIDDEN");
    }
  });

  test("a name that does not resolve is refused", async () => {
    const check = makeCheckWebhookTarget(resolving({}), strict);
    expect((await refusal(check("https://nowhere.example/"))).code).toBe("INVALID_WEBHOOK_URL");
  });

  test("WEBHOOK_ALLOW_PRIVATE_TARGETS lets loopback through", async () => {
    const check = makeCheckWebhookTarget(resolving({ localhost: ["127.0.0.1", "::1"] }), {
      allowHttp: true,
      allowPrivateTargets: true,
    });
    expect((await check("http://localhost:8080/hook")).addresses).toEqual(["127.0.0.1", "::1"]);
  });
});
