import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { runOperation, undoRunById } from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import { parseOperation } from "../loader/index.ts";
import { fileWrite } from "../providers/index.ts";
import { conflictsOf, keptOf, recordedOf, recordedStates, undoReconciled } from "./index.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

describe("a reconcile killed half way", () => {
  it("is finished by the next undo, with restore whatever it is asked, keeping theirs in one place", async () => {
    const w = await tempDir();
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const clock = new ManualClock("2026-05-01T10:00:00Z");
    const options = { store, clock, leaseMs: 60_000 };
    const conf = join(w, "app.conf");
    await writeFile(conf, "workers=2\n");
    const operation = parseOperation(
      `opsdojo: operation/v1\nname: one\nsteps:\n  - name: change\n    uses: file.write\n    with: { path: "${conf}", content: "workers=0\\n" }\n`,
      "op.yaml",
    );
    const run = await runOperation({ operation, operationId: "op_1", params: {} }, options);
    await writeFile(conf, "workers=4 # theirs\n");

    // The first undo keeps theirs aside and dies before the action's undo puts the old bytes back.
    const journal = new Journal(store, clock);
    const [record] = await journal.steps(run.id);
    const dying = {
      ...fileWrite,
      undo: async () => {
        throw new Error("killed");
      },
    };
    await expect(
      undoReconciled({
        journal,
        record: record as NonNullable<typeof record>,
        provider: dying,
        recorded: recordedOf(await recordedStates(journal, run.id), "local", 0),
        policy: "restore",
        context: { runId: run.id, blobs: store.blobs, signal: new AbortController().signal },
      }),
    ).rejects.toThrow("killed");
    await expect(readFile(conf, "utf8")).rejects.toThrow(); // moved aside, nothing put back yet

    // The next undo is asked nothing (refuse by default): a restore had begun, so it finishes it.
    const result = await undoRunById(run.id, { operation, params: {} }, options);
    expect(result.status).toBe("rolled_back");
    expect(await readFile(conf, "utf8")).toBe("workers=2\n");
    const kept = await keptOf(journal, run.id);
    expect(kept).toHaveLength(1);
    expect(await readFile(kept[0]?.keptAt as string, "utf8")).toBe("workers=4 # theirs\n");
    expect((await conflictsOf(journal, run.id))[0]).toMatchObject({
      policy: "restore",
      kept_at: kept[0]?.keptAt,
    });
  });
});
