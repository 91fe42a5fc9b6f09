import type { Unit } from "../api/index.ts";
import { type DirectoryUnitOptions, directoryUnit } from "../directory/index.ts";
import { type GamedaysUnitOptions, gamedaysUnit, teamUnit } from "../gamedays/index.ts";
import { learningUnit } from "../learning/index.ts";
import { type MiningUnitOptions, miningUnit } from "../mining/index.ts";
import { type OperationsUnitOptions, operationsUnit } from "../operations/index.ts";

export type { Unit, UnitHandle } from "../api/index.ts";

/** What the units take from the server's options: each unit declares its own slice. */
export type UnitOptions = DirectoryUnitOptions &
  OperationsUnitOptions &
  GamedaysUnitOptions &
  MiningUnitOptions;

/** Every unit this build serves, in the order they are mounted. */
export const UNITS: readonly Unit<UnitOptions>[] = [
  directoryUnit,
  operationsUnit,
  gamedaysUnit,
  teamUnit,
  miningUnit,
  learningUnit,
];

export const UNIT_NAMES = UNITS.map((u) => u.name);
