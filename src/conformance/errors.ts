import { OpsdojoError } from "../core/index.ts";

/** The profile file cannot be read or is not valid: which file, which line, what was expected. */
export class ProfileError extends OpsdojoError {
  constructor(message: string, details: { file: string; line?: number; pointer?: string }) {
    super("conformance_profile_invalid", message, { details, kind: "invalid" });
  }
}

/** Nothing answers at the base URL at all (refused, unknown host, no response): no rule was checked. */
export class ServiceUnreachableError extends OpsdojoError {
  constructor(baseUrl: string, reason: string) {
    super(
      "conformance_service_unreachable",
      `cannot connect to ${baseUrl} (${reason}); no rule was checked. Is the service running there, and is the URL right?`,
      { details: { base_url: baseUrl, reason }, kind: "unavailable", retryable: true },
    );
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
