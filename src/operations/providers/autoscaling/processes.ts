import { ResumeProcessesCommand, SuspendProcessesCommand } from "@aws-sdk/client-auto-scaling";
import { awsCall, defineStateAction, type Inputs, type StateActionSpec } from "../aws-state/index.ts";
import { autoscalingClient } from "./client.ts";
import { describeGroup, suspendedOf } from "./groups.ts";

/** The processes AWS names; without `scaling_processes` a step means all of them. */
export const SCALING_PROCESSES = [
  "Launch",
  "Terminate",
  "AddToLoadBalancer",
  "AlarmNotification",
  "AZRebalance",
  "HealthCheck",
  "InstanceRefresh",
  "ReplaceUnhealthy",
  "ScheduledActions",
] as const;

interface Parsed {
  readonly name: string;
  readonly processes: readonly string[];
}

function parse(i: Inputs): Parsed {
  const given = i.optionalStrings("scaling_processes");
  for (const [n, p] of (given ?? []).entries())
    if (!(SCALING_PROCESSES as readonly string[]).includes(p))
      i.failAt(
        ["scaling_processes", n],
        `${JSON.stringify(p)} is not a process; expected one of ${SCALING_PROCESSES.join(", ")}`,
      );
  return { name: i.string("auto_scaling_group_name"), processes: given ?? [...SCALING_PROCESSES] };
}

async function send(action: string, name: string, suspend: boolean, processes: readonly string[]) {
  if (processes.length === 0) return;
  const input = { AutoScalingGroupName: name, ScalingProcesses: [...processes] };
  await awsCall(
    action,
    `auto scaling group ${name}`,
    suspend ? "suspending processes of" : "resuming processes of",
    () =>
      autoscalingClient().send(
        suspend ? new SuspendProcessesCommand(input) : new ResumeProcessesCommand(input),
      ),
  );
}

/** The facts: which of the step's processes are suspended. */
type Suspended = { readonly suspended: readonly string[] };

function processSpec(action: string, suspend: boolean): StateActionSpec<Parsed, Suspended> {
  return {
    action,
    fields: ["auto_scaling_group_name", "scaling_processes"],
    parse,
    resource: (p) => `auto scaling group ${p.name}`,
    async read(p) {
      const suspended = suspendedOf(await describeGroup(action, p.name));
      return { suspended: suspended.filter((s) => p.processes.includes(s)) };
    },
    preview: (p, before) => ({
      change: (suspend ? before.suspended.length === p.processes.length : before.suspended.length === 0)
        ? "none"
        : "modify",
      detail: `${suspend ? "suspend" : "resume"} ${p.processes.join(", ")} (suspended now: ${before.suspended.join(", ") || "none"}); undo ${suspend ? "resumes" : "suspends"} what this step changed`,
    }),
    async act(p, _before, now) {
      const todo = p.processes.filter((x) => now.suspended.includes(x) !== suspend);
      await send(action, p.name, suspend, todo);
      return { auto_scaling_group_name: p.name, [suspend ? "suspended" : "resumed"]: todo };
    },
    async restore(p, before, now) {
      const resume = now.suspended.filter((x) => !before.suspended.includes(x));
      const again = before.suspended.filter((x) => !now.suspended.includes(x));
      await send(action, p.name, false, resume);
      await send(action, p.name, true, again);
      return `suspended processes back to ${before.suspended.join(", ") || "none"}`;
    },
  };
}

/**
 * `autoscaling.suspend_processes {auto_scaling_group_name, scaling_processes?}` — stop the group
 * launching, terminating, replacing … (all processes when none are named). Undo resumes only the
 * ones this step suspended.
 *
 * @example
 * { uses: autoscaling.suspend_processes, with: { auto_scaling_group_name: web, scaling_processes: [ReplaceUnhealthy, AZRebalance] } }
 */
export const autoscalingSuspendProcesses = defineStateAction(
  processSpec("autoscaling.suspend_processes", true),
);

/**
 * `autoscaling.resume_processes {auto_scaling_group_name, scaling_processes?}` — resume
 * processes. Undo suspends again the ones that were suspended.
 *
 * @example
 * { uses: autoscaling.resume_processes, with: { auto_scaling_group_name: web } }
 */
export const autoscalingResumeProcesses = defineStateAction(
  processSpec("autoscaling.resume_processes", false),
);
