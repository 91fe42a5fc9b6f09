import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, loopbackPage } from "../support/browser.ts";
import { opsdojo } from "../support/opsdojo-process.ts";
import { sharedData } from "../support/shared-data.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// bpmn.io's own viewer decides whether our BPMN opens: nothing else here reads BPMN.
const VIEWER = createRequire(import.meta.url).resolve("bpmn-js/dist/bpmn-viewer.production.min.js");

let browser: Browser | undefined;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await removeTempDirs();
});

interface Imported {
  warnings: string[];
  tasks: string[];
  gateways: number;
  flows: number;
  drawn: number;
}

describe("mine discover --out model.bpmn, opened by bpmn.io", () => {
  for (const [log, algorithm, activities] of [
    ["running-example.xes.gz", "inductive", 8],
    ["receipt.xes.gz", "inductive", 27],
    ["repair-example.xes.gz", "heuristics", 8],
  ] as const) {
    it(`${log} (${algorithm}): imported without a warning, every activity a task, every element drawn`, async () => {
      const dir = await tempDir();
      const out = join(dir, "model.bpmn");
      const mined = await opsdojo(dir, [
        "mine",
        "discover",
        sharedData("eventlogs", log),
        "--algorithm",
        algorithm,
        "--out",
        out,
      ]);
      expect(mined.code, mined.stderr).toBe(0);
      const xml = await readFile(out, "utf8");

      const { page, errors } = await loopbackPage(browser as Browser);
      await page.setContent('<!doctype html><div id="canvas" style="width:1600px;height:900px"></div>');
      await page.addScriptTag({ path: VIEWER });
      const imported = await page.evaluate(async (text: string): Promise<Imported> => {
        // The little of bpmn-js's viewer (a global from its UMD bundle) this test uses.
        interface Shape {
          type: string;
          businessObject: { name?: string };
        }
        interface Viewer {
          importXML(xml: string): Promise<{ warnings: { message: string }[] }>;
          get(service: "elementRegistry"): { getAll(): Shape[] };
        }
        const BpmnJS = (window as unknown as { BpmnJS: new (o: { container: string }) => Viewer }).BpmnJS;
        const viewer = new BpmnJS({ container: "#canvas" });
        const result = await viewer.importXML(text);
        const all = viewer.get("elementRegistry").getAll();
        return {
          warnings: result.warnings.map((w) => w.message),
          tasks: all.filter((e) => e.type === "bpmn:Task").map((e) => e.businessObject.name ?? ""),
          gateways: all.filter((e) => /Gateway$/.test(e.type)).length,
          flows: all.filter((e) => e.type === "bpmn:SequenceFlow").length,
          drawn: document.querySelectorAll("#canvas .djs-element").length,
        };
      }, xml);
      await page.close();
      expect(errors).toEqual([]);
      expect(imported.warnings).toEqual([]);
      expect(new Set(imported.tasks).size).toBe(activities);
      expect(imported.flows).toBe((xml.match(/<bpmn:sequenceFlow /g) ?? []).length);
      // Tasks, gateways, two events and every flow are on the canvas (plus the root element).
      expect(imported.drawn).toBeGreaterThanOrEqual(
        imported.tasks.length + imported.gateways + 2 + imported.flows,
      );
    });
  }
});
