import { OpsdojoError } from "../core/index.ts";

/** A live service entry already has this name. */
export class ServiceNameTakenError extends OpsdojoError {
  constructor(name: string) {
    super(
      "service_name_taken",
      `a service named "${name}" is already registered; pick another name or update that entry`,
      {
        details: { name },
        kind: "conflict",
      },
    );
  }
}

/** No entry with this id (or name). */
export class ServiceNotFoundError extends OpsdojoError {
  constructor(ref: string) {
    super("service_not_found", `service ${ref} does not exist`, { details: { ref }, kind: "not_found" });
  }
}

/** A name that only a removed (soft-deleted) entry has: said as such, with the id that still shows it. */
export class ServiceRemovedError extends OpsdojoError {
  constructor(name: string, id: string, deletedAt: string) {
    super(
      "service_removed",
      `service "${name}" was removed (${id}, at ${deletedAt}); \`opsdojo services show ${id}\` still shows it`,
      { details: { name, id, deleted_at: deletedAt }, kind: "not_found" },
    );
  }
}

/** The entry changed since the caller read it (If-Match, or a concurrent write). */
export class ServiceChangedError extends OpsdojoError {
  constructor(id: string, detail: string) {
    super("service_changed", detail, { details: { id }, kind: "changed" });
  }
}

/** An entry that passes the schema but breaks a rule across fields. */
export class ServiceInvalidError extends OpsdojoError {
  constructor(message: string, pointer: string) {
    super("service_invalid", message, { details: { pointer }, kind: "invalid" });
  }
}
