// The runs unit owns the runs table and so this error; kept here for the journal's callers.
export { RunNotFoundError } from "../runs/index.ts";
