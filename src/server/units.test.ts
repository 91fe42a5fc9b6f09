import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { InvalidInputError } from "../core/index.ts";
import { openStore } from "../store/index.ts";
import { assembleServer, selectUnits } from "./app.ts";
import { UNIT_NAMES, UNITS } from "./units.ts";

afterAll(removeTempDirs);

/** The first segment under /api of every documented path: which resources a server mounts. */
async function mountedCollections(services: readonly string[]): Promise<string[]> {
  const store = await openStore({ home: await tempDir() });
  const { app, handles } = await assembleServer({
    store,
    services,
    rateLimit: { quota: 1000, windowSeconds: 60 },
  });
  try {
    expect(handles).toHaveLength(services.length);
    const doc = (await app.inject({ url: "/openapi.json" })).json() as { paths: Record<string, unknown> };
    const collections = Object.keys(doc.paths).flatMap((p) => /^\/api\/([a-z-]+)/.exec(p)?.[1] ?? []);
    return [...new Set(collections)].sort();
  } finally {
    await app.close();
    await store.close();
  }
}

describe("units", () => {
  it("are all of one shape, with distinct names", () => {
    expect(UNIT_NAMES).toEqual([
      "directory",
      "operations",
      "gamedays",
      "gamedays-team",
      "mining",
      "learning",
    ]);
    for (const unit of UNITS) {
      expect(unit.description.length, unit.name).toBeGreaterThan(20);
      expect(typeof unit.register, unit.name).toBe("function");
    }
  });

  it("mount only their own resources: a server of one unit serves that unit's collections", async () => {
    expect(await mountedCollections(["gamedays-team"])).toEqual([
      "action-items",
      "competence",
      "interviews",
      "members",
    ]);
    expect(await mountedCollections(["directory"])).toEqual(["service-entries", "services"]);
    expect(await mountedCollections(["learning"])).toEqual([
      "learning",
      "learning-events",
      "survey-invitations",
      "survey-responses",
      "survey-rounds",
      "surveys",
    ]);
  });

  it("are picked by name; an unknown name lists the known ones", () => {
    expect(selectUnits(["mining", "directory"]).map((u) => u.name)).toEqual(["mining", "directory"]);
    expect(() => selectUnits(["billing"])).toThrow(InvalidInputError);
    expect(() => selectUnits(["billing"])).toThrow(/this build serves: directory, operations, gamedays/);
  });
});
