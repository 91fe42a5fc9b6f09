import { describe, expect, it } from "vitest";
import { exposureWarning, httpUrl, isLoopback } from "./bind.ts";

describe("binding", () => {
  it("knows loopback addresses from the others", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"])
      expect(isLoopback(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "10.0.0.5", "192.168.1.2", "example.com", "128.0.0.1"])
      expect(isLoopback(h), h).toBe(false);
  });

  it("warns for a bind beyond this machine, naming the true address, and says nothing on loopback", () => {
    expect(exposureWarning("127.0.0.1", "http://127.0.0.1:7878", undefined)).toBeUndefined();
    const wildcard = exposureWarning("0.0.0.0", "http://0.0.0.0:7878", undefined);
    expect(wildcard).toContain("listening on http://0.0.0.0:7878 (every network interface)");
    expect(wildcard).toContain("--public-url");
    expect(exposureWarning("::", httpUrl("::", 80), "https://x.example")).toContain("http://[::]:80");
  });
});
