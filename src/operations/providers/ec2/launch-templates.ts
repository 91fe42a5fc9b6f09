import {
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateVersionsCommand,
  ModifyLaunchTemplateCommand,
  type RequestLaunchTemplateData,
} from "@aws-sdk/client-ec2";
import type { UndoOutcome } from "../provider.ts";
import { call } from "./calls.ts";
import { defineEc2Action } from "./define.ts";
import { Ec2ConflictError, isNotImplemented } from "./errors.ts";
import { describeLaunchTemplate, type LaunchTemplateFacts, launchTemplateVersions } from "./facts.ts";
import { type Ec2Input, optStr, pascal } from "./inputs.ts";

export interface LaunchTemplateState {
  readonly before: LaunchTemplateFacts;
}

const which = (input: Ec2Input) => ({
  id: optStr(input, "launch_template_id"),
  name: optStr(input, "launch_template_name"),
});
const label = (input: Ec2Input) =>
  `launch template ${optStr(input, "launch_template_id") ?? optStr(input, "launch_template_name") ?? "?"}`;

async function template(action: string, input: Ec2Input): Promise<LaunchTemplateFacts> {
  if (input.launch_template_id === undefined && input.launch_template_name === undefined)
    throw new Ec2ConflictError(action, "launch template", "give launch_template_id or launch_template_name");
  const found = await describeLaunchTemplate(action, which(input));
  if (found === undefined) throw new Ec2ConflictError(action, label(input), "does not exist");
  return found;
}

async function setDefault(action: string, id: string, version: number) {
  await call(action, `launch template ${id}`, `setting default version ${version} of`, (c) =>
    c.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: String(version) })),
  );
}

const TEMPLATE_FIELDS = {
  launch_template_id: { kind: "string" },
  launch_template_name: { kind: "string" },
} as const;

const CREATE = "ec2.create_launch_template_version";

/**
 * `ec2.create_launch_template_version {launch_template_id|name, source_version, version_description,
 * launch_template_data}` — undo deletes the versions made after the capture (and puts the default
 * back). Where the server cannot delete versions (moto 5), the new version stays, not the
 * default, and the undo says so: what launches from the template is as before.
 */
export const ec2CreateLaunchTemplateVersion = defineEc2Action<LaunchTemplateState>({
  action: CREATE,
  fields: {
    ...TEMPLATE_FIELDS,
    source_version: { kind: "string" },
    version_description: { kind: "string" },
    launch_template_data: { kind: "object", required: true },
  },
  // The default and the versions made after the capture (none before the step; one after it).
  async statesOf(_input, state) {
    const { before } = state;
    const now = await describeLaunchTemplate(CREATE, { id: before.id });
    if (now === undefined) return { [`launch template ${before.id}`]: null };
    const made = (await launchTemplateVersions(CREATE, before.id)).filter((v) => v > before.latest_version);
    return {
      [`launch template ${before.id}`]: { default_version: now.default_version, versions_made: made },
    };
  },
  async describe(input) {
    return [
      {
        resource: label(input),
        change: "modify",
        detail: "a new version (not the default); undo deletes it",
      },
    ];
  },
  async capture(input) {
    return { before: await template(CREATE, input) };
  },
  async act(input, state) {
    const { before } = state;
    const now = await template(CREATE, input);
    // A retry after a crash: the version this step made is there already.
    if (now.latest_version > before.latest_version)
      return { launch_template_id: now.id, version_number: now.latest_version, after: now };
    const source = optStr(input, "source_version");
    const description = optStr(input, "version_description");
    const out = await call(CREATE, label(input), "adding a version to", (c) =>
      c.send(
        new CreateLaunchTemplateVersionCommand({
          LaunchTemplateId: before.id,
          LaunchTemplateData: pascal(input.launch_template_data) as RequestLaunchTemplateData,
          ...(source === undefined ? {} : { SourceVersion: source }),
          ...(description === undefined ? {} : { VersionDescription: description }),
        }),
      ),
    );
    return {
      launch_template_id: before.id,
      version_number: out.LaunchTemplateVersion?.VersionNumber,
      after: await template(CREATE, input),
    };
  },
  async undo(input, state): Promise<UndoOutcome> {
    const { before } = state;
    const now = await template(CREATE, input);
    if (now.default_version !== before.default_version)
      await setDefault(CREATE, before.id, before.default_version);
    const made = (await launchTemplateVersions(CREATE, before.id)).filter((v) => v > before.latest_version);
    if (made.length === 0) return { restored: true };
    try {
      await call(CREATE, label(input), "deleting versions of", (c) =>
        c.send(
          new DeleteLaunchTemplateVersionsCommand({
            LaunchTemplateId: before.id,
            Versions: made.map(String),
          }),
        ),
      );
    } catch (error) {
      if (!isNotImplemented(error)) throw error;
      return {
        restored: true,
        detail: `version ${made.join(", ")} left (this server cannot delete versions); the default is ${before.default_version} as before`,
      };
    }
    return { restored: true };
  },
});

const MODIFY = "ec2.modify_launch_template";

/** `ec2.modify_launch_template {launch_template_id|name, default_version}` — undo sets the old default back. */
export const ec2ModifyLaunchTemplate = defineEc2Action<LaunchTemplateState>({
  action: MODIFY,
  fields: { ...TEMPLATE_FIELDS, default_version: { kind: "string", required: true } },
  async statesOf(_input, state) {
    const now = await describeLaunchTemplate(MODIFY, { id: state.before.id });
    return { [`launch template ${state.before.id}`]: now === undefined ? null : now.default_version };
  },
  async describe(input) {
    return [
      {
        resource: label(input),
        change: "modify",
        detail: `default version → ${String(input.default_version)}`,
      },
    ];
  },
  async capture(input) {
    return { before: await template(MODIFY, input) };
  },
  async act(input, state) {
    const wanted = String(input.default_version);
    const version = wanted === "$Latest" ? (await template(MODIFY, input)).latest_version : Number(wanted);
    if (!Number.isInteger(version))
      throw new Ec2ConflictError(MODIFY, label(input), `default_version ${wanted} is not a version number`);
    await setDefault(MODIFY, state.before.id, version);
    return { launch_template_id: state.before.id, after: await template(MODIFY, input) };
  },
  async undo(input, state): Promise<UndoOutcome> {
    const now = await template(MODIFY, input);
    if (now.default_version !== state.before.default_version)
      await setDefault(MODIFY, state.before.id, state.before.default_version);
    return { restored: true };
  },
});
