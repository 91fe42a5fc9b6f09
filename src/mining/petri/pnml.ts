import { escapeXml, XmlSyntaxError, type XmlToken, XmlTokenizer } from "../eventlog/index.ts";
import { PetriNetFormatError } from "./errors.ts";
import type { Arc, Marking, PetriNet, Place, Transition } from "./model.ts";

export const PNML_NAMESPACE = "http://www.pnml.org/version-2009/grammar/pnml";
export const PTNET_TYPE = "http://www.pnml.org/version-2009/grammar/ptnet";

/** ProM marks a silent transition with this tool-specific element; PM4Py reads it too. */
const INVISIBLE = "$invisible$";

/** A stable UUID-shaped id for ProM's `localNodeID`, from a node's position. */
function localNodeId(kind: number, index: number): string {
  const hex = index.toString(16).padStart(12, "0");
  return `00000000-0000-4000-800${kind}-${hex}`;
}

/**
 * The net as PNML (2009 grammar, P/T net type), with the initial marking on places and the final
 * marking in a `<finalmarkings>` element as ProM and PM4Py write and read it.
 */
export function toPnml(net: PetriNet): string {
  const initial = new Map(net.initialMarking.map((m) => [m.place, m.tokens]));
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<pnml xmlns="${PNML_NAMESPACE}">`,
    `  <net id="net1" type="${PTNET_TYPE}">`,
    `    <name><text>${escapeXml(net.name)}</text></name>`,
    '    <page id="n0">',
  ];
  net.places.forEach((p, i) => {
    const tokens = initial.get(i);
    lines.push(
      `      <place id="${escapeXml(p.id)}"><name><text>${escapeXml(p.name)}</text></name>${
        tokens ? `<initialMarking><text>${tokens}</text></initialMarking>` : ""
      }</place>`,
    );
  });
  net.transitions.forEach((t, i) => {
    const invisible =
      t.label === null
        ? `<toolspecific tool="ProM" version="6.4" activity="${INVISIBLE}" localNodeID="${localNodeId(1, i)}"/>`
        : "";
    lines.push(
      `      <transition id="${escapeXml(t.id)}"><name><text>${escapeXml(t.label ?? t.name)}</text></name>${invisible}</transition>`,
    );
  });
  net.arcs.forEach((a, i) => {
    const p = net.places[a.place]?.id as string;
    const t = net.transitions[a.transition]?.id as string;
    const [source, target] = a.toTransition ? [p, t] : [t, p];
    const inscription = a.weight === 1 ? "" : `<inscription><text>${a.weight}</text></inscription>`;
    lines.push(
      `      <arc id="a${i}" source="${escapeXml(source)}" target="${escapeXml(target)}">${inscription}</arc>`,
    );
  });
  lines.push("    </page>", "    <finalmarkings>", "      <marking>");
  for (const { place, tokens } of net.finalMarking) {
    lines.push(
      `        <place idref="${escapeXml(net.places[place]?.id as string)}"><text>${tokens}</text></place>`,
    );
  }
  lines.push("      </marking>", "    </finalmarkings>", "  </net>", "</pnml>", "");
  return lines.join("\n");
}

/** How to read a PNML. */
export interface PnmlReadOptions {
  /**
   * The final marking when the file has no `<finalmarkings>` (as `--final-marking` gives it). A
   * final marking is never guessed: fitness and precision depend on it, and a guess that looks
   * plausible (the places nothing leaves) is wrong for nets with several sinks.
   */
  readonly finalMarking?: readonly MarkingEntry[];
}

/** A place by its PNML id and its tokens. */
export interface MarkingEntry {
  readonly place: string;
  readonly tokens: number;
}

/**
 * Read a PNML P/T net (the first net of the file; pages are flattened). A transition is silent
 * when ProM's tool-specific element says `$invisible$`. A file without `<finalmarkings>` is refused
 * unless `options.finalMarking` names it.
 */
export function fromPnml(
  text: string | Buffer,
  file = "model.pnml",
  options: PnmlReadOptions = {},
): PetriNet {
  const places: Place[] = [];
  const placeIndex = new Map<string, number>();
  const transitions: { id: string; name: string; invisible: boolean }[] = [];
  const rawArcs: { source: string; target: string; weight: number }[] = [];
  const initial: { id: string; tokens: number }[] = [];
  const finals: { id: string; tokens: number }[] = [];
  let netName = "";
  let netCount = 0;
  const stack: string[] = [];
  let node: { kind: "place" | "transition" | "arc" | "final"; attrs: Record<string, string> } | undefined;
  let name = "";
  let number = "";
  let invisible = false;
  let tokenizer: XmlTokenizer | undefined;
  const fail = (message: string): never => {
    throw new PetriNetFormatError(file, tokenizer?.line, message);
  };

  const local = (n: string) => n.slice(n.indexOf(":") + 1);
  const onToken = (token: XmlToken) => {
    if (token.kind === "open") {
      const tag = local(token.name);
      const parent = stack.at(-1);
      stack.push(tag);
      if (stack.length === 1 && tag !== "pnml") fail(`the root element is <${token.name}>, not <pnml>`);
      if (tag === "net" && parent === "pnml") netCount++;
      if (netCount > 1) return;
      if ((tag === "place" || tag === "transition" || tag === "arc") && parent !== "marking") {
        node = { kind: tag, attrs: token.attrs };
        name = "";
        number = "";
        invisible = false;
      } else if (tag === "place" && parent === "marking") {
        node = { kind: "final", attrs: token.attrs };
        number = "";
      } else if (tag === "toolspecific" && token.attrs.activity === INVISIBLE) {
        invisible = true;
      }
      return;
    }
    if (token.kind === "text") {
      if (netCount > 1 || local(stack.at(-1) ?? "") !== "text") return;
      const holder = stack.at(-2);
      const owner = stack.at(-3);
      if (holder === "name" && owner === "net") netName += token.text;
      else if (holder === "name" && node !== undefined && owner === node.kind) name += token.text;
      else if (holder === "initialMarking" && node?.kind === "place") number += token.text;
      else if (holder === "inscription" && node?.kind === "arc") number += token.text;
      else if (holder === "place" && node?.kind === "final") number += token.text;
      return;
    }
    const tag = stack.pop();
    if (netCount > 1 || node === undefined || tag !== (node.kind === "final" ? "place" : node.kind)) return;
    const id = node.attrs.id ?? "";
    if (node.kind === "place") {
      if (id === "") fail("a place without an id");
      placeIndex.set(id, places.length);
      places.push({ id, name: name.trim() || id });
      const tokens = number.trim() === "" ? 0 : Number(number.trim());
      if (!Number.isInteger(tokens) || tokens < 0)
        fail(`place ${id}: initial marking "${number.trim()}" is not a count`);
      if (tokens > 0) initial.push({ id, tokens });
    } else if (node.kind === "transition") {
      if (id === "") fail("a transition without an id");
      transitions.push({ id, name: name.trim() || id, invisible });
    } else if (node.kind === "arc") {
      const weight = number.trim() === "" ? 1 : Number(number.trim());
      if (!Number.isInteger(weight) || weight < 1)
        fail(`arc ${id}: inscription "${number.trim()}" is not a weight`);
      rawArcs.push({ source: node.attrs.source ?? "", target: node.attrs.target ?? "", weight });
    } else {
      finals.push({ id: node.attrs.idref ?? "", tokens: Number(number.trim() || "0") });
    }
    node = undefined;
  };

  tokenizer = new XmlTokenizer(onToken, { text: true });
  try {
    tokenizer.push(typeof text === "string" ? Buffer.from(text) : text);
    tokenizer.end();
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw new PetriNetFormatError(file, error.line, error.message);
    throw error;
  }
  if (netCount === 0) fail("no <net> element");

  const transitionIndex = new Map(transitions.map((t, i) => [t.id, i]));
  const arcs: Arc[] = rawArcs.map((a) => {
    const p = placeIndex.get(a.source);
    const t = transitionIndex.get(a.target);
    if (p !== undefined && t !== undefined)
      return { place: p, transition: t, toTransition: true, weight: a.weight };
    const t2 = transitionIndex.get(a.source);
    const p2 = placeIndex.get(a.target);
    if (p2 !== undefined && t2 !== undefined)
      return { place: p2, transition: t2, toTransition: false, weight: a.weight };
    return fail(`arc ${a.source} → ${a.target} does not join a place and a transition of the net`);
  });
  const marking = (list: { id: string; tokens: number }[]): Marking =>
    list
      .filter((m) => m.tokens > 0)
      .map((m) => {
        const place = placeIndex.get(m.id);
        if (place === undefined) return fail(`a marking names the unknown place ${m.id}`);
        return { place, tokens: m.tokens };
      });
  const given = options.finalMarking?.map((m) => ({ id: m.place, tokens: m.tokens }));
  if (finals.length === 0 && given === undefined) {
    throw new PetriNetFormatError(
      file,
      undefined,
      "no final marking: the PNML has no <finalmarkings> element. Name the final places with " +
        "--final-marking PLACE[=TOKENS],… (place ids of this file), or export the net with its final marking",
    );
  }
  const finalMarking = marking(finals.length > 0 ? finals : (given ?? []));
  const ts: Transition[] = transitions.map((t) => ({
    id: t.id,
    label: t.invisible ? null : t.name,
    name: t.name,
  }));
  return {
    name: netName.trim() || "net",
    places,
    transitions: ts,
    arcs,
    initialMarking: marking(initial),
    finalMarking,
  };
}
