import { describe, expect, test } from "bun:test";
import { clientNetwork } from "../../src/core/domain/client-network";

describe("clientNetwork", () => {
  test("an IPv4 address counts on its own", () => {
    expect(clientNetwork("203.0.113.9")).toBe("203.0.113.9");
  });

  test("IPv6 addresses of one /64 count as one client, however written", () => {
    const key = clientNetwork("2001:db8:0:1::1");
    for (const ip of [
      "2001:db8:0:1::2",
      "2001:0db8:0000:0001:ffff:ffff:ffff:ffff",
      "2001:db8::1:abcd:0:0:1",
    ]) {
      expect(clientNetwork(ip)).toBe(key);
    }
    expect(clientNetwork("2001:db8:0:2::1")).not.toBe(key);
  });

  test("an unknown address is one bucket", () => {
    expect(clientNetwork(null)).toBe("unknown");
  });
});
