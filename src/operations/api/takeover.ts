import { type Clock, messageOf } from "../../core/index.ts";
import type { Store } from "../../store/index.ts";
import { isServerOwner, ownerIsDeadHere, type RunResult } from "../engine/index.ts";
import type { Journal } from "../journal/index.ts";
import { type NodeLossPolicy, nodeLossPolicyOf, targetsOf } from "../model/index.ts";
import { RunRecords } from "../runs/index.ts";

/** What the takeover needs of the node it runs on: its executor's undo and resume. */
export interface TakeoverNode {
  readonly store: Store;
  readonly clock: Clock;
  readonly journal: Journal;
  /** This node's lease owner, written on each run it takes over. */
  readonly owner: string;
  undo(runId: string): Promise<void>;
  resume(runId: string): Promise<void>;
  notify(runId: string): void;
}

/** What a node did with one run it took over. */
export interface TakenOver {
  readonly id: string;
  readonly lostOwner: string;
  readonly policy: NodeLossPolicy;
  /** `held` also when the policy could not be carried out here (the reason says why). */
  readonly action: "held" | "undone" | "resumed";
}

/**
 * One look for a dead node's runs (issue 18): runs in flight whose lease ran out (or whose
 * process on this host is gone) become `interrupted`, keeping the dead node's name; then each
 * such run is taken over by exactly one surviving node (a conditional update) and handled by
 * its operation's `on_node_loss`. A run that was rolling back is never resumed: `undo` and
 * `resume` both finish its rollback. Runs of commands (`opsdojo run`, game-day sessions) are
 * only marked interrupted, as before: their person is at the terminal.
 */
export async function takeOverLostRuns(node: TakeoverNode): Promise<TakenOver[]> {
  await node.journal.interruptLost(ownerIsDeadHere, isServerOwner);
  const done: TakenOver[] = [];
  for (const lost of await node.journal.lostRuns()) {
    const registered = await new RunRecords(node.store).operationOf(lost.id);
    const policy = registered ? nodeLossPolicyOf(registered.operation) : "hold";
    if (!(await node.journal.takeLost(lost.id, lost.owner, { by: node.owner, on_node_loss: policy })))
      continue;
    node.notify(lost.id);
    const rolling = (await node.journal.steps(lost.id)).some((s) =>
      ["undoing", "undone", "undo_failed"].includes(s.state),
    );
    let why = `on_node_loss: ${policy}`;
    try {
      if (policy === "undo" || (policy === "resume" && rolling)) {
        await node.undo(lost.id);
        done.push({ id: lost.id, lostOwner: lost.owner, policy, action: "undone" });
        continue;
      }
      if (policy === "resume") {
        await node.resume(lost.id);
        done.push({ id: lost.id, lostOwner: lost.owner, policy, action: "resumed" });
        continue;
      }
    } catch (error) {
      why = `on_node_loss: ${policy} could not start on this node (${messageOf(error)})`;
    }
    await hold(node, lost.id, lost.owner, why, registered?.operation);
    done.push({ id: lost.id, lostOwner: lost.owner, policy, action: "held" });
  }
  return done;
}

/** Leave the run `interrupted` for a person, saying so on its stream and in its result. */
async function hold(
  node: TakeoverNode,
  runId: string,
  lostOwner: string,
  why: string,
  operation: Parameters<typeof targetsOf>[0] | undefined,
): Promise<void> {
  const steps = await node.journal.steps(runId);
  const reason = `its node ${lostOwner} died mid-run; held (${why}) for a person: \`opsdojo runs resume ${runId}\` or \`opsdojo runs undo ${runId}\``;
  const held = { node: lostOwner, since: node.clock.now().toISOString(), reason };
  const result: RunResult = {
    id: runId,
    status: "interrupted",
    targets: (operation ? targetsOf(operation) : []).map((t) => ({
      name: t.name,
      status: steps.some((s) => s.target === t.name) ? "failed" : "not_run",
    })),
    unrestored: [],
    held,
  };
  await node.journal.noteResult(runId, "run.held", { node: lostOwner, reason }, result);
  node.notify(runId);
}
