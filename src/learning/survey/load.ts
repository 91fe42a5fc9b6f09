import { readFile } from "node:fs/promises";
import { Ajv, type ValidateFunction } from "ajv";
import { FileUnreadableError } from "../../core/index.ts";
import {
  displayPath,
  type FileIssue,
  placeSchemaErrors,
  readYamlMapping,
  type Segment,
} from "../../operations/index.ts";
import { SurveyFileError } from "../errors.ts";
import { type Survey, SurveySchema } from "./model.ts";

/** A survey is a page of statements: anything larger is a mistake. */
export const MAX_SURVEY_FILE_BYTES = 256 * 1024;

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(SurveySchema);
  return compiled;
}

/**
 * Read and check a survey/v1 file: every problem at once, each with file:line:column.
 *
 * @example const survey = await loadSurvey("team-survey.yaml"); survey.dimensions.length;
 */
export async function loadSurvey(file: string): Promise<{ survey: Survey; source: string }> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    throw new FileUnreadableError(file, error);
  }
  return { survey: parseSurvey(source, file), source };
}

/** Check a survey text (YAML or JSON); `file` names it in errors. */
export function parseSurvey(text: string, file: string): Survey {
  const { value, locator, issue } = readYamlMapping(text, file, {
    maxBytes: MAX_SURVEY_FILE_BYTES,
    format: "opsdojo: survey/v1",
    fail: (issues) => {
      throw new SurveyFileError(file, issues);
    },
  });
  const validate = validator();
  if (!validate(value)) {
    const issues = placeSchemaErrors(validate.errors ?? [], locator).map(
      (p): FileIssue => ({ file, ...p, path: displayPath(p.path) }),
    );
    throw new SurveyFileError(file, issues);
  }
  const survey = value as Survey;
  const issues = duplicates(survey).map((d) => issue(locator.position(d.path), d.path, d.message));
  if (issues.length > 0) throw new SurveyFileError(file, issues);
  return survey;
}

/** Ids that must be unique: dimensions, items across the whole survey (answers name them), rounds. */
function duplicates(survey: Survey): Array<{ path: Segment[]; message: string }> {
  const out: Array<{ path: Segment[]; message: string }> = [];
  const dims = new Set<string>();
  const items = new Map<string, string>();
  survey.dimensions.forEach((d, i) => {
    if (dims.has(d.id))
      out.push({ path: ["dimensions", i, "id"], message: `dimension "${d.id}" appears twice` });
    dims.add(d.id);
    d.items.forEach((item, j) => {
      const first = items.get(item.id);
      if (first !== undefined)
        out.push({
          path: ["dimensions", i, "items", j, "id"],
          message: `item "${item.id}" is already in dimension ${first}; item ids are unique in the survey`,
        });
      else items.set(item.id, d.id);
    });
  });
  const rounds = new Set<string>();
  (survey.rounds ?? []).forEach((r, i) => {
    if (rounds.has(r.name))
      out.push({ path: ["rounds", i, "name"], message: `round "${r.name}" appears twice` });
    rounds.add(r.name);
  });
  return out;
}
