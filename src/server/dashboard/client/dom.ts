/** Finding the elements a view has just drawn. */

/**
 * The element a selector names under root. A view draws the markup it then looks up, so a miss
 * is a bug in the view: it throws, and the view's failure shows under the header.
 */
export function element<E extends Element = HTMLElement>(root: ParentNode, selector: string): E {
  const found = root.querySelector<E>(selector);
  if (!found) throw new Error(`the dashboard has no ${selector}`);
  return found;
}
