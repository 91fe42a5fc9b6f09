import { defineConfig } from "vitest/config";
import { viteDoorLinks } from "./scripts/door-links.ts";

export default defineConfig({
  // A test that takes one name from a unit's door loads the files behind it, not the whole unit
  // (scripts/door-links.ts; docs/architecture.md "Doors").
  plugins: [viteDoorLinks(import.meta.dirname)],
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // A bound for hangs, not a speed limit: an e2e test that starts twenty processes took 2-3
    // minutes on a 2-core machine at load 30 (and 120 s ended one there); a hang still ends.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    // Vitest's default is one worker fewer than there are cores: one on a 2-core machine, which
    // runs every file in turn. Most e2e time is spent waiting for child processes, servers and PostgreSQL, so four
    // files at a time keep both cores busy; the tests wait for conditions, never for time, so
    // the extra contention slows them down but cannot make them fail. (`--maxWorkers` overrides.)
    maxWorkers: 4,
    globalSetup: ["test/support/global-setup.ts"],
    // OPSDOJO_CPU_LOG=<file>: each test file appends its CPU seconds there (docs/testing.md).
    setupFiles: process.env.OPSDOJO_CPU_LOG ? ["test/support/cpu-log.ts"] : [],
  },
});
