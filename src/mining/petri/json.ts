import { PetriNetFormatError } from "./errors.ts";
import type { Marking, PetriNet } from "./model.ts";

/** The net as JSON for files and APIs: nodes by id, arcs `source → target`, markings by place id. */
export interface PetriNetJson {
  readonly name: string;
  readonly places: { id: string; name: string }[];
  readonly transitions: { id: string; label: string | null; name: string }[];
  readonly arcs: { source: string; target: string; weight: number }[];
  readonly initialMarking: Record<string, number>;
  readonly finalMarking: Record<string, number>;
}

export function netToJson(net: PetriNet): PetriNetJson {
  const marking = (m: Marking) =>
    Object.fromEntries(m.map(({ place, tokens }) => [net.places[place]?.id as string, tokens]));
  return {
    name: net.name,
    places: net.places.map((p) => ({ id: p.id, name: p.name })),
    transitions: net.transitions.map((t) => ({ id: t.id, label: t.label, name: t.name })),
    arcs: net.arcs.map((a) => {
      const p = net.places[a.place]?.id as string;
      const t = net.transitions[a.transition]?.id as string;
      return a.toTransition
        ? { source: p, target: t, weight: a.weight }
        : { source: t, target: p, weight: a.weight };
    }),
    initialMarking: marking(net.initialMarking),
    finalMarking: marking(net.finalMarking),
  };
}

/** The inverse of `netToJson`; every reference is checked. */
export function netFromJson(json: PetriNetJson, file = "model.json"): PetriNet {
  const fail = (message: string): never => {
    throw new PetriNetFormatError(file, undefined, message);
  };
  if (!Array.isArray(json?.places) || !Array.isArray(json.transitions) || !Array.isArray(json.arcs)) {
    fail("not a Petri net: places, transitions and arcs are expected");
  }
  const places = new Map(json.places.map((p, i) => [p.id, i]));
  const transitions = new Map(json.transitions.map((t, i) => [t.id, i]));
  const marking = (m: Record<string, number> | undefined, what: string): Marking =>
    Object.entries(m ?? {}).map(([id, tokens]) => {
      const place = places.get(id);
      if (place === undefined) return fail(`the ${what} marking names the unknown place ${id}`);
      return { place, tokens };
    });
  return {
    name: json.name ?? "net",
    places: json.places.map((p) => ({ id: p.id, name: p.name ?? p.id })),
    transitions: json.transitions.map((t) => ({
      id: t.id,
      label: t.label ?? null,
      name: t.name ?? t.label ?? t.id,
    })),
    arcs: json.arcs.map((a) => {
      const weight = a.weight ?? 1;
      const p = places.get(a.source);
      const t = transitions.get(a.target);
      if (p !== undefined && t !== undefined) return { place: p, transition: t, toTransition: true, weight };
      const t2 = transitions.get(a.source);
      const p2 = places.get(a.target);
      if (p2 !== undefined && t2 !== undefined)
        return { place: p2, transition: t2, toTransition: false, weight };
      return fail(`arc ${a.source} → ${a.target} does not join a place and a transition`);
    }),
    initialMarking: marking(json.initialMarking, "initial"),
    finalMarking: marking(json.finalMarking, "final"),
  };
}
