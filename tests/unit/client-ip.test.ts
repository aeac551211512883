import { describe, expect, test } from "bun:test";
import { isProxyEntry } from "../../src/config/trusted-proxies";
import { clientIp, trustedProxyList } from "../../src/http/client-ip";

const proxies = trustedProxyList(["10.0.0.0/8", "192.0.2.1", "fd00::/8"]);

describe("clientIp", () => {
  test("a direct connection is the client, whatever X-Forwarded-For says", () => {
    expect(clientIp("198.51.100.7", "1.2.3.4", proxies)).toBe("198.51.100.7");
  });

  test("through trusted proxies, the first untrusted address from the right is the client", () => {
    expect(clientIp("10.1.1.1", "6.6.6.6, 203.0.113.9, 10.2.2.2", proxies)).toBe("203.0.113.9");
    expect(clientIp("fd00::1", "203.0.113.9", proxies)).toBe("203.0.113.9");
  });

  test("an address the client wrote to the left of the real one is never believed", () => {
    expect(clientIp("192.0.2.1", "10.0.0.5, 203.0.113.9", proxies)).toBe("203.0.113.9");
  });

  test("a malformed entry stops the walk at the last vouched-for address", () => {
    expect(clientIp("10.1.1.1", "203.0.113.9, garbage", proxies)).toBe("10.1.1.1");
    expect(clientIp("10.1.1.1", "garbage, 10.2.2.2", proxies)).toBe("10.2.2.2");
  });

  test("a trusted proxy without X-Forwarded-For is itself the client", () => {
    expect(clientIp("10.1.1.1", null, proxies)).toBe("10.1.1.1");
  });

  test("IPv4-mapped IPv6 socket addresses are matched as IPv4", () => {
    expect(clientIp("::ffff:10.1.1.1", "203.0.113.9", proxies)).toBe("203.0.113.9");
  });

  test("no socket address gives no client address", () => {
    expect(clientIp(null, "203.0.113.9", proxies)).toBeNull();
  });
});

describe("isProxyEntry", () => {
  test("accepts addresses and CIDR ranges, refuses names and bad prefixes", () => {
    for (const ok of ["10.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"]) expect(isProxyEntry(ok)).toBe(true);
    for (const bad of ["proxy.internal", "10.0.0.0/33", "fd00::/129", "10.0.0.0/8/1", "10.0.0.0/x"]) {
      expect(isProxyEntry(bad)).toBe(false);
    }
  });
});
