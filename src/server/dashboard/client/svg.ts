/**
 * A model's drawing put inline as an `<svg>` element, after removing whatever could run code or
 * load something (scripts, foreign objects, animations, event attributes, outside links).
 */
const DROP = new Set([
  "script",
  "foreignobject",
  "animate",
  "set",
  "animatemotion",
  "animatetransform",
  "iframe",
  "embed",
  "object",
  "a",
  "image",
  "use",
]);

export function safeSvg(source: string): Element {
  const doc = new DOMParser().parseFromString(source, "image/svg+xml");
  const root = doc.documentElement;
  if (root.localName !== "svg" || doc.getElementsByTagName("parsererror").length > 0)
    throw new Error("the model's drawing is not SVG");
  for (const element of [root, ...root.querySelectorAll("*")]) {
    if (DROP.has(element.localName.toLowerCase())) {
      element.remove();
      continue;
    }
    for (const attribute of [...element.attributes]) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on") || name === "href" || name.endsWith(":href") || name === "style")
        element.removeAttribute(attribute.name);
    }
  }
  return document.importNode(root, true);
}
