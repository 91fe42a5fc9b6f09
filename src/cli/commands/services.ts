import { Command } from "commander";
import type { PageQuery } from "../../api/index.ts";
import { InvalidInputError, OpsdojoError } from "../../core/index.ts";
import { type Service, type ServiceCreate, ServiceRemovedError } from "../../directory/index.ts";
import { type GlobalOptions, resolveTarget, type Session } from "../context.ts";
import { asFlagError } from "../flag-errors.ts";
import { collectList } from "../list-options.ts";
import { type CommandResult, type Style, table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { parseServiceRef, type ServicesBackend } from "../services/backend.ts";
import { openLocalServices } from "../services/local-backend.ts";
import { remoteServices } from "../services/remote-backend.ts";
import { type CheckOptions, checkService } from "./services-check.ts";
import { type HealthOptions, serviceHealth } from "./services-health.ts";

export { serviceHealth };

/** The server's page-size maximum; `--all` fetches pages of this size. */
const MAX_PAGE = 500;

export interface ListOptions {
  readonly filter?: string;
  readonly sort?: string;
  readonly limit?: string;
  readonly cursor?: string;
  readonly all?: boolean;
  readonly showDeleted?: boolean;
}

export interface RegisterOptions {
  readonly name: string;
  readonly owner: string;
  readonly description?: string;
  readonly lifecycle?: string;
  readonly instance?: string[];
  readonly version?: string[];
  readonly healthUrl?: string;
}

/** The local store, or the server given by --server/OPSDOJO_URL; closed after `task`. */
export async function withServices<T>(
  session: Session,
  globals: GlobalOptions,
  task: (services: ServicesBackend) => Promise<T>,
): Promise<T> {
  const target = resolveTarget(globals, session.env);
  const services =
    target.kind === "remote"
      ? remoteServices({ url: target.url, token: target.token, warn: (m) => session.warnings.push(m) })
      : await openLocalServices(session.env);
  try {
    return await task(services);
  } finally {
    await services.close();
  }
}

export async function listServices(services: ServicesBackend, options: ListOptions): Promise<CommandResult> {
  const limit = options.limit === undefined ? undefined : parseLimit(options.limit);
  const query: PageQuery = {
    ...(options.filter !== undefined ? { filter: options.filter } : {}),
    ...(options.sort !== undefined ? { sort: options.sort } : {}),
    ...(options.showDeleted ? { show_deleted: true } : {}),
  };
  let page = await services.list({
    ...query,
    limit: limit ?? (options.all ? MAX_PAGE : undefined),
    cursor: options.cursor,
  });
  const items = [...page.items];
  while (options.all && page.next_cursor) {
    page = await services.list({ ...query, limit: limit ?? MAX_PAGE, cursor: page.next_cursor });
    items.push(...page.items);
  }
  const next = options.all ? undefined : page.next_cursor;
  return {
    json: next ? { items, next_cursor: next } : { items },
    text: (s) => {
      if (items.length === 0) return "no services match; register one with `opsdojo services register`";
      const rows = items.map((v) => [
        v.deleted_at ? `${v.name} ${s.red("(removed)")}` : v.name,
        v.owner,
        v.lifecycle,
        v.versions.map((x) => x.version).join(",") || "-",
        instancesSummary(v, s),
        v.id,
      ]);
      const out = table(["NAME", "OWNER", "LIFECYCLE", "VERSIONS", "INSTANCES", "ID"], rows, s);
      return next ? `${out}\n${s.dim(`more: add --cursor ${next} (or --all)`)}` : out;
    },
  };
}

export async function showService(services: ServicesBackend, ref: string): Promise<CommandResult> {
  let service: Awaited<ReturnType<ServicesBackend["get"]>>;
  try {
    service = await services.get(ref);
  } catch (error) {
    // A name belongs to live entries only; one that a removed entry had is said to be removed,
    // as `list --show-deleted` shows it, rather than not to exist.
    const name = parseServiceRef(ref);
    if (!(error instanceof OpsdojoError && error.kind === "not_found") || !("name" in name)) throw error;
    const removed = (
      await services.list({ filter: `name = "${name.name}"`, show_deleted: true, sort: "-updated_at" })
    ).items.find((v) => v.deleted_at);
    if (removed?.deleted_at) throw new ServiceRemovedError(name.name, removed.id, removed.deleted_at);
    throw error;
  }
  return { json: service, text: (s) => describeService(service, s) };
}

/** Which flag of `services register` fills which part of the request. */
const REGISTER_FLAGS = {
  "/name": "--name",
  "/owner": "--owner",
  "/description": "--description",
  "/lifecycle": "--lifecycle",
  "/versions": "--version",
  "/instances": "--instance",
  "/health_url": "--health-url",
};

export async function registerService(
  services: ServicesBackend,
  options: RegisterOptions,
): Promise<CommandResult> {
  const input: ServiceCreate = {
    name: options.name,
    owner: options.owner,
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.lifecycle !== undefined
      ? { lifecycle: options.lifecycle as ServiceCreate["lifecycle"] & {} }
      : {}),
    ...(options.version
      ? { versions: options.version.map((version) => ({ version, status: "active" as const })) }
      : {}),
    ...(options.instance ? { instances: options.instance.map((base_url) => ({ base_url })) } : {}),
    ...(options.healthUrl !== undefined ? { health_url: options.healthUrl } : {}),
  };
  let service: Awaited<ReturnType<ServicesBackend["register"]>>;
  try {
    service = await services.register(input);
  } catch (error) {
    throw asFlagError(error, REGISTER_FLAGS);
  }
  return {
    json: service,
    text: (s) => `registered ${s.bold(service.name)} (${service.id})`,
  };
}

export async function removeService(services: ServicesBackend, ref: string): Promise<CommandResult> {
  const service = await services.remove(ref);
  return {
    json: service,
    text: (s) =>
      `removed ${s.bold(service.name)} (${service.id}); \`opsdojo services list --show-deleted\` still shows it`,
  };
}

function parseLimit(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new InvalidInputError(
      `--limit "${text}" must be a whole number of at least 1 (at most ${MAX_PAGE} per page)`,
    );
  }
  return Number(text);
}

function instancesSummary(service: Service, s: Style): string {
  if (service.instances.length === 0) return "-";
  const colour = { pass: s.green, warn: s.yellow, fail: s.red, unknown: s.dim } as const;
  return service.instances.map((i) => colour[i.status](i.status)).join(",");
}

function describeService(v: Service, s: Style): string {
  const rows: [string, string][] = [
    ["id", v.id],
    ["owner", v.owner],
    ["lifecycle", v.lifecycle],
    ["description", v.description || "-"],
    [
      "versions",
      v.versions
        .map((x) => `${x.version} ${x.status}${x.sunset_at ? ` (sunset ${x.sunset_at})` : ""}`)
        .join("\n") || "-",
    ],
    ["instances", v.instances.map((i) => `${i.base_url} ${i.status}`).join("\n") || "-"],
    ["health url", v.health_url],
    ["created", v.created_at],
    ["updated", v.updated_at],
  ];
  if (v.deleted_at) rows.push(["deleted", s.red(v.deleted_at)]);
  if (v.conformance) {
    const c = v.conformance;
    const verdict =
      c.must_failures.length > 0
        ? s.red(`MUST failed: ${c.must_failures.join(", ")}`)
        : s.green("no MUST failure");
    rows.push([
      "conformance",
      `${c.pass} pass, ${c.fail} fail, ${c.skip} skip (${c.checked_at}); ${verdict}`,
    ]);
  }
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const body = rows.map(([k, value]) =>
    value
      .split("\n")
      .map((line, i) => `${(i === 0 ? `${k}:` : "").padEnd(width)}${line}`)
      .join("\n"),
  );
  return [s.bold(v.name), ...body].join("\n");
}

export function servicesCommand(session: Session, run: Runner): Command {
  const command = new Command("services").description("the service directory: list, show, register, remove");
  const using = <T>(cmd: Command, task: (services: ServicesBackend) => Promise<T>) =>
    withServices(session, cmd.optsWithGlobals<GlobalOptions>(), task);

  command
    .command("list")
    .description("list registered services")
    .option("--filter <expr>", 'e.g. owner = "sre" AND lifecycle = "production"')
    .option("--sort <fields>", "e.g. name or -updated_at")
    .option("--limit <n>", "page size (default 50, at most 500)")
    .option("--cursor <cursor>", "continue after a previous page")
    .option("--all", "follow every page to the end")
    .option("--show-deleted", "include removed entries")
    .action((options: ListOptions, cmd: Command) =>
      run(() => using(cmd, (services) => listServices(services, options))),
    );

  command
    .command("show")
    .description("show one entry")
    .argument("<name-or-id>", "the service's name or id (svc_…)")
    .action((ref: string, _options: unknown, cmd: Command) =>
      run(() => using(cmd, (services) => showService(services, ref))),
    );

  command
    .command("health")
    .description("show the health changes of a service's instances, newest first")
    .argument("<name-or-id>", "the service's name or id (svc_…)")
    .option("--instance <url>", "only this instance (its base URL)")
    .option("--since <time>", "only changes at or after this instant, e.g. 2026-03-01T00:00:00Z")
    .option("--limit <n>", "page size (default 50, at most 500)")
    .option("--cursor <cursor>", "continue after a previous page")
    .action((ref: string, options: HealthOptions, cmd: Command) =>
      run(() => using(cmd, (services) => serviceHealth(services, ref, options))),
    );

  command
    .command("register")
    .description("register a service")
    .requiredOption("--name <name>", "unique, kebab-case, e.g. payments-api")
    .requiredOption("--owner <team>", "who runs it")
    .option("--description <text>", "what it does")
    .option("--lifecycle <stage>", "experimental (default), production or deprecated")
    .option("--instance <url>", "base URL of a running instance; repeat or comma-separate", collectList)
    .option("--version <x.y.z>", "an active API version; repeat or comma-separate", collectList)
    .option("--health-url <url>", "absolute, or a path on each instance (default /health)")
    .addHelpText(
      "after",
      "\nExample:\n  opsdojo services register --name payments-api --owner sre --instance http://10.0.0.5:8080 --version 1.4.0",
    )
    .action((options: RegisterOptions, cmd: Command) =>
      run(() => using(cmd, (services) => registerService(services, options))),
    );

  command
    .command("check")
    .description("run the conformance suite against a service's instances; store the result on its entry")
    .argument("<name-or-id>", "the service's name or id (svc_…)")
    .option("--service-token <token>", "bearer token for the checked service (default: the opsdojo token)")
    .option("--profile <file>", "conformance profile (docs/conformance.md)")
    .option("--rules <ids>", "only these rules, e.g. CB-05,CB-13")
    .option("--allow-writes", "let the suite create (and delete) its own fixtures")
    .action((ref: string, options: CheckOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      // The opsdojo token goes only to instances of the opsdojo server it belongs to.
      const server = globals.server ?? (session.env.OPSDOJO_URL || undefined);
      const ours = { origin: server, token: globals.token ?? (session.env.OPSDOJO_TOKEN || undefined) };
      return run(() => using(cmd, (services) => checkService(session, services, ref, options, ours)));
    });

  command
    .command("remove")
    .description("remove an entry (soft delete: it can be restored through the API)")
    .argument("<name-or-id>", "the service's name or id (svc_…)")
    .action((ref: string, _options: unknown, cmd: Command) =>
      run(() => using(cmd, (services) => removeService(services, ref))),
    );
  return command;
}
