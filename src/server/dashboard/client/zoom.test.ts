import { describe, expect, it } from "vitest";
import { zoomAround } from "./zoom.ts";

const whole = { x: 0, y: 0, w: 1000, h: 500 };

describe("zooming a drawn model", () => {
  it("keeps the point under the pointer where it is", () => {
    const zoomed = zoomAround(whole, 0.5, 250, 100, whole);
    expect(zoomed).toEqual({ x: 125, y: 50, w: 500, h: 250 });
    // The point's place within the box is the same fraction before and after.
    expect((250 - zoomed.x) / zoomed.w).toBeCloseTo(250 / 1000);
    expect((100 - zoomed.y) / zoomed.h).toBeCloseTo(100 / 500);
  });

  it("stops at 20× in and 4× out", () => {
    let box = whole;
    for (let i = 0; i < 50; i++) box = zoomAround(box, 0.5, 500, 250, whole);
    expect(box.w).toBeCloseTo(50);
    for (let i = 0; i < 50; i++) box = zoomAround(box, 2, 500, 250, whole);
    expect(box.w).toBeCloseTo(4000);
  });
});
