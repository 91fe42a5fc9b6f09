/**
 * Zoom and pan for a drawn model: the wheel zooms around the pointer, dragging pans, and the
 * buttons zoom in, out and back to the whole drawing. It only moves the SVG's viewBox: nothing
 * is redrawn and nothing from the drawing is read but its size.
 */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const MIN_SCALE = 0.05;

/** The box zoomed by `factor` (<1 zooms in) around the point (px, py) of the drawing. */
export function zoomAround(box: Box, factor: number, px: number, py: number, whole: Box): Box {
  const w = Math.min(whole.w * 4, Math.max(whole.w * MIN_SCALE, box.w * factor));
  const scale = w / box.w;
  const h = box.h * scale;
  return { x: px - (px - box.x) * scale, y: py - (py - box.y) * scale, w, h };
}

function wholeOf(svg: SVGSVGElement): Box {
  const base = svg.viewBox.baseVal;
  if (base && base.width > 0 && base.height > 0)
    return { x: base.x, y: base.y, w: base.width, h: base.height };
  const w = Number.parseFloat(svg.getAttribute("width") ?? "") || 1000;
  const h = Number.parseFloat(svg.getAttribute("height") ?? "") || 600;
  return { x: 0, y: 0, w, h };
}

/** Makes `svg` zoomable inside `frame`, with the controls put in `controls`; stops with `signal`. */
export function zoomable(
  svg: SVGSVGElement,
  frame: HTMLElement,
  controls: HTMLElement,
  signal: AbortSignal,
): void {
  const whole = wholeOf(svg);
  let box = whole;
  const show = () => {
    svg.setAttribute("viewBox", `${box.x} ${box.y} ${box.w} ${box.h}`);
    frame.dataset.zoom = (whole.w / box.w).toFixed(2);
  };
  // Width and height from the drawing would fix its size: the frame sizes it, the viewBox zooms.
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  show();
  const toDrawing = (clientX: number, clientY: number) => {
    const r = svg.getBoundingClientRect();
    return {
      px: box.x + ((clientX - r.left) / r.width) * box.w,
      py: box.y + ((clientY - r.top) / r.height) * box.h,
    };
  };
  frame.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const { px, py } = toDrawing(event.clientX, event.clientY);
      box = zoomAround(box, event.deltaY < 0 ? 0.85 : 1 / 0.85, px, py, whole);
      show();
    },
    { passive: false, signal },
  );
  let drag: { x: number; y: number; box: Box } | null = null;
  frame.addEventListener(
    "pointerdown",
    (event) => {
      drag = { x: event.clientX, y: event.clientY, box };
      frame.setPointerCapture(event.pointerId);
    },
    { signal },
  );
  frame.addEventListener(
    "pointermove",
    (event) => {
      if (!drag) return;
      const r = svg.getBoundingClientRect();
      box = {
        ...drag.box,
        x: drag.box.x - ((event.clientX - drag.x) / r.width) * drag.box.w,
        y: drag.box.y - ((event.clientY - drag.y) / r.height) * drag.box.h,
      };
      show();
    },
    { signal },
  );
  frame.addEventListener(
    "pointerup",
    () => {
      drag = null;
    },
    { signal },
  );
  controls.innerHTML =
    '<button type="button" data-zoom="in" aria-label="zoom in">+</button> <button type="button" data-zoom="out" aria-label="zoom out">−</button> <button type="button" data-zoom="reset">whole model</button> <span class="meta">wheel to zoom, drag to move</span>';
  controls.addEventListener(
    "click",
    (event) => {
      const which = (event.target as HTMLElement).dataset.zoom;
      if (!which) return;
      const cx = box.x + box.w / 2;
      const cy = box.y + box.h / 2;
      box = which === "reset" ? whole : zoomAround(box, which === "in" ? 0.7 : 1 / 0.7, cx, cy, whole);
      show();
    },
    { signal },
  );
}
