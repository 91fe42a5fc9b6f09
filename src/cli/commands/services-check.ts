import {
  type ConformanceReport,
  loadProfile,
  type Profile,
  runConformance,
} from "../../conformance/index.ts";
import { InvalidInputError, plural } from "../../core/index.ts";
import type { ConformanceResult } from "../../directory/index.ts";
import type { Session } from "../context.ts";
import { EXIT_CODES } from "../exit-codes.ts";
import type { CommandResult } from "../output.ts";
import type { ServicesBackend } from "../services/backend.ts";
import { parseRules, sameOrigin } from "./conform.ts";

export interface CheckOptions {
  readonly profile?: string;
  readonly serviceToken?: string;
  readonly rules?: string;
  readonly allowWrites?: boolean;
}

/** Sum the reports of every instance into the result stored on the entry. */
export function conformanceResult(reports: readonly ConformanceReport[], checkedAt: Date): ConformanceResult {
  const instances = reports.map((r) => ({
    base_url: r.base_url,
    pass: r.summary.pass,
    fail: r.summary.fail,
    skip: r.summary.skip,
    must_failures: [...r.summary.must_failures],
  }));
  return {
    checked_at: checkedAt.toISOString(),
    pass: instances.reduce((n, i) => n + i.pass, 0),
    fail: instances.reduce((n, i) => n + i.fail, 0),
    skip: instances.reduce((n, i) => n + i.skip, 0),
    must_failures: [...new Set(instances.flatMap((i) => i.must_failures))].sort(),
    instances,
  };
}

/**
 * `opsdojo services check NAME`: run the conformance suite against every instance of a registered
 * service and store the latest result on its entry (shown by `services show` and the API).
 */
export async function checkService(
  session: Session,
  services: ServicesBackend,
  ref: string,
  options: CheckOptions,
  /** The opsdojo server's own URL and token: the token is sent to instances at that origin only. */
  ours: { readonly origin: string | undefined; readonly token: string | undefined },
): Promise<CommandResult> {
  const entry = await services.get(ref);
  if (entry.deleted_at)
    throw new InvalidInputError(`service ${entry.name} is deleted; undelete it before checking it`);
  if (entry.instances.length === 0) {
    throw new InvalidInputError(
      `service ${entry.name} has no instances to check; add one with its base_url first`,
    );
  }
  const rules = parseRules(options.rules, "opsdojo services check");
  const loaded: Profile = options.profile ? await loadProfile(options.profile) : {};
  const profile: Profile = options.allowWrites ? { ...loaded, allow_writes: true } : loaded;
  const reports: ConformanceReport[] = [];
  const untokened: string[] = [];
  for (const instance of entry.instances) {
    session.progress?.(`checking ${instance.base_url} …`);
    const token =
      options.serviceToken ??
      profile.token ??
      (sameOrigin(instance.base_url, ours.origin) ? ours.token : undefined);
    if (token === undefined) untokened.push(instance.base_url);
    reports.push(
      await runConformance({
        baseUrl: instance.base_url,
        profile,
        ...(rules ? { rules } : {}),
        ...(token ? { token } : {}),
      }),
    );
  }
  const result = conformanceResult(reports, new Date());
  const updated = await services.recordConformance(entry.id, result);
  return {
    json: updated,
    exitCode: result.must_failures.length > 0 ? EXIT_CODES.failed : EXIT_CODES.ok,
    text: (s) =>
      [
        `${s.bold(entry.name)}: ${result.pass} passed, ${result.fail} failed, ${result.skip} skipped over ${plural(reports.length, "instance")}; stored on ${entry.id}`,
        ...result.instances.map(
          (i) =>
            `  ${i.base_url}: ${i.pass} pass, ${i.fail} fail, ${i.skip} skip${i.must_failures.length > 0 ? s.red(`  MUST failed: ${i.must_failures.join(", ")}`) : ""}`,
        ),
        ...(untokened.length > 0
          ? [
              s.yellow(
                `checked without a token: ${untokened.join(", ")} — pass --service-token (the opsdojo token is sent only to its own server)`,
              ),
            ]
          : []),
        s.dim("details: opsdojo conform BASE_URL (same options) shows the evidence"),
      ].join("\n"),
  };
}
