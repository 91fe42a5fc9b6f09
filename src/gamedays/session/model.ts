/** running → restoring → ended; `interrupted` when its process died (then `gameday restore`). */
export type SessionStatus = "running" | "restoring" | "ended" | "interrupted";

/** Why a session ended. */
export type EndReason = "resolved" | "timebox" | "stop_condition" | "gm" | "interrupted";

export interface Player {
  readonly name: string;
  readonly role: string;
}

export interface FaultRecord {
  readonly index: number;
  readonly name: string;
  readonly operationId: string;
  readonly params: Record<string, unknown>;
  readonly runId: string | null;
  /** pending → injecting → injected | failed | refused */
  readonly status: string;
  readonly injectedAt: string | null;
  /** The undo's run status: `rolled_back` when the fault was undone. */
  readonly restoreStatus: string | null;
  readonly restoredAt: string | null;
}

export interface SessionRecord {
  readonly id: string;
  readonly scenario: string;
  readonly title: string;
  readonly file: string;
  /** Always `drill` here: sessions never count as real incidents. */
  readonly kind: "drill";
  readonly status: SessionStatus;
  readonly gm: string;
  readonly players: readonly Player[];
  readonly startedAt: string;
  readonly faultInjectedAt: string | null;
  readonly endedAt: string | null;
  readonly endReason: EndReason | null;
  /** Every fault undone and every objective passing again afterwards; null until restored. */
  readonly cleanRestore: boolean | null;
  readonly leaseOwner: string | null;
  readonly faults: readonly FaultRecord[];
}

/** A command another process leaves for the running session. */
export type SessionCommand =
  | { readonly id: string; readonly type: "release"; readonly item: string; readonly by: string | null }
  | { readonly id: string; readonly type: "end"; readonly resolved: boolean; readonly by: string | null };
