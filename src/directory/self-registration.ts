import type { Directory } from "./directory.ts";
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
    const existing = await directory.findByName(unit.name);
    if (!existing) {
      await directory.create({
        name: unit.name,
        owner: "opsdojo",
        description: unit.description,
        lifecycle: "production",
        versions,
        instances: [{ base_url: options.baseUrl }],
        health_url: "/health",
      });
      continue;
    }
    const known = existing.instances.some((i) => i.base_url === options.baseUrl);
    const sameVersion = existing.versions.some((v) => v.version === options.apiVersion);
    if (known && sameVersion) continue;
    await directory.update(existing.id, {
      instances: known
        ? existing.instances.map(({ base_url }) => ({ base_url }))
        : [...existing.instances.map(({ base_url }) => ({ base_url })), { base_url: options.baseUrl }],
      ...(sameVersion ? {} : { versions: [...existing.versions, ...versions] }),
    });
  }
}
