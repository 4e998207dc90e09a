import { describe, expect, it } from "vitest";
import { networkKey } from "../../app/platform/client-address.server";

describe("per-address limits key on the client's network", () => {
  it("IPv4, plain or IPv4-mapped, is kept whole", () => {
    expect(networkKey("203.0.113.7")).toBe("203.0.113.7");
    expect(networkKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("IPv6 addresses of one /64 share one key, whatever their spelling", () => {
    const keys = [
      "2001:db8:1:2::1",
      "2001:0db8:0001:0002:ffff:ffff:ffff:ffff",
      "2001:DB8:1:2:abcd::",
      "2001:db8:1:2:0:0:1.2.3.4",
      "2001:db8:1:2::1%eth0",
    ].map(networkKey);
    expect(new Set(keys)).toEqual(new Set(["2001:db8:1:2::/64"]));
  });

  it("another /64 gets another key, including zero-compressed prefixes", () => {
    expect(networkKey("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(networkKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(networkKey("::1")).toBe("0:0:0:0::/64");
  });
});
