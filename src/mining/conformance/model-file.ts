import { readFile } from "node:fs/promises";
import { FileUnreadableError, messageOf } from "../../core/index.ts";
import type { Dfg } from "../discovery/index.ts";
import {
  fromPnml,
  netFromJson,
  type PetriNet,
  PetriNetFormatError,
  type PetriNetJson,
  type PnmlReadOptions,
} from "../petri/index.ts";
import { type MinerState, parseState } from "../templates/index.ts";

/** What conformance checking and watching need from a model file. */
export interface LoadedModel {
  readonly file: string;
  readonly net: PetriNet;
  /** The directly-follows graph with durations (model JSON only): what `watch` reads stall limits from. */
  readonly dfg?: Dfg;
  /** A template miner state carried by the model (`templates`), so raw lines get the activities the model was mined with. */
  readonly templates?: MinerState;
}

/**
 * Read a model: the JSON that `mine discover --out model.json` writes (`opsdojo-process-model/v1`,
 * or a bare Petri net JSON), or PNML (by a leading `<`).
 *
 * @example
 * const { net, dfg } = await loadModel("model.json");
 */
export async function loadModel(file: string, options: PnmlReadOptions = {}): Promise<LoadedModel> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new FileUnreadableError(file, error);
  }
  return parseModel(text, file, options);
}

export function parseModel(text: string, file = "model.json", options: PnmlReadOptions = {}): LoadedModel {
  if (text.trimStart().startsWith("<")) return { file, net: fromPnml(text, file, options) };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PetriNetFormatError(file, undefined, `not JSON or PNML: ${messageOf(error)}`);
  }
  if (json === null || typeof json !== "object") {
    throw new PetriNetFormatError(file, undefined, "not a process model: an object is expected");
  }
  const o = json as { net?: PetriNetJson; dfg?: Dfg; templates?: unknown; places?: unknown };
  const netJson = o.net ?? (Array.isArray(o.places) ? (json as PetriNetJson) : undefined);
  if (netJson === undefined) {
    throw new PetriNetFormatError(
      file,
      undefined,
      "no Petri net in it (write one with opsdojo mine discover --out model.json)",
    );
  }
  const net = netFromJson(netJson, file);
  const dfg = o.dfg !== undefined && Array.isArray(o.dfg.edges) ? o.dfg : undefined;
  const templates = o.templates === undefined ? undefined : parseState(o.templates, `${file} (templates)`);
  return { file, net, ...(dfg ? { dfg } : {}), ...(templates ? { templates } : {}) };
}
