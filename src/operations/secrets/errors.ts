import { OpsdojoError } from "../../core/index.ts";

/**
 * Undo or resume of a run that used secrets, without them: the store never holds them, so the
 * caller must give them again (or the param must declare a source).
 */
export class SecretRequiredError extends OpsdojoError {
  readonly names: readonly string[];

  constructor(runId: string, names: readonly string[], how: "cli" | "api" = "cli") {
    const pass =
      how === "api"
        ? `send them in the request body: {"params": {${names.map((n) => `"${n}": "…"`).join(", ")}}}`
        : `pass ${names.map((n) => `--param ${n}=…`).join(" ")}`;
    super(
      "secret_required",
      `run ${runId} needs the secret param${names.length === 1 ? "" : "s"} ${names.join(", ")} again (secrets are never stored); ${pass}, or declare source: env:NAME or file:PATH on the param`,
      { kind: "invalid", details: { run: runId, params: [...names], pointer: "/params" } },
    );
    this.names = names;
  }
}

/** A secret's declared source cannot give a value (unset variable, unreadable file). */
export class SecretSourceError extends OpsdojoError {
  constructor(name: string, source: string, why: string) {
    super(
      "secret_source_unavailable",
      `secret param ${name}: its source ${source} ${why}; set it, or pass --param ${name}=…`,
      { kind: "invalid", details: { param: name, source, pointer: "/params" } },
    );
  }
}

/** Params other than secrets given to undo or resume: a run goes on with the params it ran with. */
export class NotASecretError extends OpsdojoError {
  constructor(runId: string, names: readonly string[]) {
    super(
      "param_not_secret",
      `run ${runId}: only secret params are given again to undo or resume a run; ${names.join(", ")} ${names.length === 1 ? "is" : "are"} not secret or not declared (the run keeps the params it ran with)`,
      { kind: "invalid", details: { run: runId, params: [...names], pointer: "/params" } },
    );
  }
}
