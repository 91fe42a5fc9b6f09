import { ServiceInvalidError } from "./errors.ts";
import type { ServiceVersion } from "./model.ts";

/** Rules across fields that a JSON Schema cannot say; each failure names the field it is about. */
export function checkVersions(versions: readonly ServiceVersion[]): void {
  const seen = new Set<string>();
  for (const [i, v] of versions.entries()) {
    if (seen.has(v.version))
      throw new ServiceInvalidError(`version ${v.version} is listed twice`, `/versions/${i}/version`);
    seen.add(v.version);
    if (v.sunset_at && v.deprecated_at && Date.parse(v.sunset_at) < Date.parse(v.deprecated_at)) {
      throw new ServiceInvalidError("sunset_at must not be before deprecated_at", `/versions/${i}/sunset_at`);
    }
    if (v.status === "active" && (v.deprecated_at || v.sunset_at)) {
      throw new ServiceInvalidError(
        "an active version has no deprecated_at or sunset_at",
        `/versions/${i}/status`,
      );
    }
  }
}

export function checkInstances(instances: readonly { base_url: string }[]): { base_url: string }[] {
  const seen = new Set<string>();
  const out: { base_url: string }[] = [];
  for (const [i, { base_url }] of instances.entries()) {
    const normal = base_url.replace(/\/+$/, "");
    if (seen.has(normal))
      throw new ServiceInvalidError(`instance ${normal} is listed twice`, `/instances/${i}/base_url`);
    seen.add(normal);
    out.push({ base_url: normal });
  }
  return out;
}
