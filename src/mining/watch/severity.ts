import { InvalidInputError } from "../../core/index.ts";

/**
 * The default alarm budget: a new step is an alarm only where the learned chance of something
 * new is at most 1 % — the false alarms per case `mine watch --learn` aims to stay under.
 */
export const DEFAULT_ALARM_BUDGET = 0.01;

/**
 * `--alarm-budget`: a share from 0 to 100 %, written as a percentage (`1%`, `0.5 %`) or as a
 * fraction below 1 (`0.01`). A bare `1` or more is refused rather than guessed (1 % or 100 %?).
 * 0 makes every new step a note; 100 % makes every deviation an alarm.
 */
export function parseAlarmBudget(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  const percent = m?.[2] === "%";
  const value = m === null ? Number.NaN : Number(m[1]) / (percent ? 100 : 1);
  if (!(value >= 0 && value <= 1) || (!percent && value >= 1)) {
    const hint = !percent && value >= 1 ? ` (write ${m?.[1]}% for a percentage)` : "";
    throw new InvalidInputError(
      `--alarm-budget is a share of cases from 0 to 100 %, as a percentage (1%) or a fraction below 1 (0.01), not ${JSON.stringify(text)}${hint}`,
      { alarmBudget: text },
    );
  }
  return value;
}

/** The budget as the library takes it: a number from 0 to 1. */
export function checkAlarmBudget(value: number): number {
  if (!(value >= 0 && value <= 1)) {
    throw new InvalidInputError(`the alarm budget is a share from 0 to 1 (0.01 = 1 %), not ${value}`, {
      alarmBudget: value,
    });
  }
  return value;
}
