import type { Rule } from "../context.ts";
import { cb17, cb18, cb19, cb20 } from "./conditional.ts";
import { cb23, cb24 } from "./deprecation.ts";
import { cb01, cb11 } from "./document.ts";
import { cb30 } from "./fuzz.ts";
import { cb07 } from "./internals.ts";
import { cb26, cb27 } from "./lifecycle.ts";
import { cb22, cb28 } from "./limits.ts";
import { cb29 } from "./multi-node.ts";
import { cb12, cb13, cb14, cb15, cb16 } from "./pagination.ts";
import { cb02, cb05, cb06, cb10, cb21, cb25 } from "./sweeps.ts";
import { cb03, cb04, cb08, cb09 } from "./versioning.ts";

/**
 * Every rule, in the order they run: first those that look at one behaviour, then CB-07 (its
 * hostile inputs must reach the service before it is over quota), then the quota exhaustion
 * (CB-22, which would starve the others; the run deletes its fixtures just before it), then the
 * rules that hold for *every* response and so are judged over all the exchanges of the run.
 */
export const RULES: readonly Rule[] = [
  cb01,
  cb03,
  cb04,
  cb06,
  cb08,
  cb09,
  cb11,
  cb12,
  cb13,
  cb14,
  cb15,
  cb16,
  cb17,
  cb18,
  cb19,
  cb20,
  cb23,
  cb24,
  cb26,
  cb27,
  cb28,
  cb29,
  cb30,
  cb07,
  cb22,
  cb02,
  cb05,
  cb10,
  cb21,
  cb25,
];
