/** What a wall panel is: a title, and a load that reads the API and gives back how to draw it. */
import type { PanelName, WallOptions } from "./options.ts";

export interface PanelContext {
  readonly signal: AbortSignal;
  /** The instant the panel is shown: ages and countdowns are measured from it. */
  readonly now: Date;
  readonly options: WallOptions;
}

/**
 * Drawing is split from loading so that a failed load leaves the panel on screen as it was (marked
 * stale), and so a chart is sized in its place on the page, not in a detached element.
 */
export type Draw = (root: HTMLElement) => void;

export interface Panel {
  readonly name: PanelName;
  readonly title: string;
  load(ctx: PanelContext): Promise<Draw>;
}
