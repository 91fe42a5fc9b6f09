import { ProblemError, quoteEtag } from "../api/index.ts";
import type { Directory } from "./directory.ts";
import { ServiceChangedError, ServiceNameTakenError } from "./errors.ts";
import type { ServiceVersion } from "./model.ts";

export interface OwnUnit {
  readonly name: string;
  readonly description: string;
}

/**
 * Make this node's units appear in its own directory: create each entry, or add this node's
 * base URL to the instances of the entry another node created. Safe to run at every start.
 */
export async function registerOwnUnits(
  directory: Directory,
  options: { units: readonly OwnUnit[]; baseUrl: string; apiVersion: string },
): Promise<void> {
  const versions: ServiceVersion[] = [
    { version: options.apiVersion, status: "active", spec_url: `${options.baseUrl}/openapi.json` },
  ];
  for (const unit of options.units) {
    for (let attempt = 1; ; attempt++) {
      try {
        await registerUnit(directory, unit, options.baseUrl, versions);
        break;
      } catch (error) {
        // Another node created or changed the entry between our read and our write: read again.
        if (attempt >= MAX_ATTEMPTS || !isRace(error)) throw error;
      }
    }
  }
}

const MAX_ATTEMPTS = 10;

function isRace(error: unknown): boolean {
  return (
    error instanceof ServiceNameTakenError ||
    error instanceof ServiceChangedError ||
    (error instanceof ProblemError && error.slug === "precondition-failed")
  );
}

/** The owner of the entries a node registers for its own units: not a team's service. */
export const OWN_UNITS_OWNER = "opsdojo";

async function registerUnit(
  directory: Directory,
  unit: OwnUnit,
  baseUrl: string,
  versions: ServiceVersion[],
): Promise<void> {
  const existing = await directory.findByName(unit.name);
  if (!existing) {
    await directory.create({
      name: unit.name,
      owner: OWN_UNITS_OWNER,
      description: unit.description,
      lifecycle: "production",
      versions,
      instances: [{ base_url: baseUrl }],
      health_url: "/health",
    });
    return;
  }
  const known = existing.instances.some((i) => i.base_url === baseUrl);
  const sameVersion = existing.versions.some((v) => versions.some((w) => w.version === v.version));
  if (known && sameVersion) return;
  // If-Match: the new lists are built from what we read, so nobody's change may slip in between.
  await directory.update(
    existing.id,
    {
      instances: known
        ? existing.instances.map(({ base_url }) => ({ base_url }))
        : [...existing.instances.map(({ base_url }) => ({ base_url })), { base_url: baseUrl }],
      ...(sameVersion ? {} : { versions: [...existing.versions, ...versions] }),
    },
    { ifMatch: quoteEtag(existing.etag) },
  );
}
