/**
 * Deviations drawn on a model: the activities where cases left the model (unexpected, or in the
 * wrong order) in red, those cases skipped (reported missing) in amber, each with its count on
 * hover; deviating activities the model does not have are listed beside it. Marks are classes on
 * the drawing's activity boxes (a `<g>` holding the activity's `<title>`), coloured by style.css.
 */
export interface Deviation {
  readonly activity: string;
  readonly kind: "unexpected" | "missing" | "wrong-order";
  readonly expected: readonly string[];
}

export interface DeviationCounts {
  /** Activity → cases that deviated there. */
  readonly at: ReadonlyMap<string, number>;
  /** Activity → cases that skipped it. */
  readonly skipped: ReadonlyMap<string, number>;
}

export function deviationCounts(deviations: readonly Deviation[]): DeviationCounts {
  const at = new Map<string, number>();
  const skipped = new Map<string, number>();
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const d of deviations) {
    if (d.kind === "missing") for (const e of d.expected) add(skipped, e);
    else add(at, d.activity);
  }
  return { at, skipped };
}

/** Marks the drawing; returns the deviating activities it has no box for. Safe to call again. */
export function markDeviations(svg: Element, counts: DeviationCounts): string[] {
  const boxes = new Map<string, { group: Element; title: Element }>();
  // Arcs carry their times in a title too: only activity boxes are marked.
  for (const title of svg.querySelectorAll("g:not(.arc) > title")) {
    const group = title.parentElement;
    if (!group) continue;
    // The title as drawn, kept before it is given a count (a refresh marks again). The drawing
    // writes an activity's frequency after its name, "triage (2)": the name is what deviations give.
    if (!group.hasAttribute("data-title")) group.setAttribute("data-title", title.textContent ?? "");
    const drawn = group.getAttribute("data-title") ?? "";
    const activity = drawn.replace(/ \(\d+\)$/, "");
    group.setAttribute("data-activity", activity);
    group.classList.remove("deviating", "skipped");
    title.textContent = drawn;
    boxes.set(activity, { group, title });
  }
  const notes = new Map<string, string[]>();
  const mark = (activity: string, n: number, kind: "deviating" | "skipped") => {
    const box = boxes.get(activity);
    if (!box) return false;
    box.group.classList.add(kind);
    const words = `${n} case${n === 1 ? "" : "s"} ${kind === "deviating" ? "deviated here" : "skipped it"}`;
    notes.set(activity, [...(notes.get(activity) ?? []), words]);
    box.title.textContent = `${box.group.getAttribute("data-title")} — ${notes.get(activity)?.join(", ")}`;
    return true;
  };
  const outside: string[] = [];
  for (const [activity, n] of counts.at) if (!mark(activity, n, "deviating")) outside.push(activity);
  for (const [activity, n] of counts.skipped) mark(activity, n, "skipped");
  return outside.sort();
}
