import { OpsdojoError } from "../core/index.ts";

/** The profile file cannot be read or is not valid: which file, which line, what was expected. */
export class ProfileError extends OpsdojoError {
  constructor(message: string, details: { file: string; line?: number; pointer?: string }) {
    super("conformance_profile_invalid", message, { details, kind: "invalid" });
  }
}

/** A rule cannot be checked against this service (nothing to test it on); becomes a `skip`. */
export class NotApplicable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "NotApplicable";
  }
}

/** A rule is violated; carries the one-line reason. The evidence is taken from the rule's exchanges. */
export class Violation extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "Violation";
  }
}
