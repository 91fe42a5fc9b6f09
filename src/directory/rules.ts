import { ServiceInvalidError } from "./errors.ts";
import { type HealthPolicy, healthTarget } from "./health-target.ts";
import { DEFAULT_HEALTH_PATH, type ServiceVersion } from "./model.ts";

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

/**
 * What the health poller would refuse to fetch, refused at registration already (422) so the
 * caller learns it at once: a health URL off the instance's origin (and the allow-list),
 * credentials in a URL, link-local or metadata hosts. Names that resolve to such addresses are
 * only known when polled; the poller refuses them then.
 */
export function checkHealthTargets(
  instances: readonly { base_url: string }[],
  healthUrl: string | null | undefined,
  policy: HealthPolicy,
): void {
  const health = healthUrl ?? DEFAULT_HEALTH_PATH;
  const absolute = /^https?:\/\//i.test(health);
  // Without instances, an absolute URL is checked on its own (its origin is then its own).
  const bases = instances.length > 0 ? instances.map((i) => i.base_url) : absolute ? [health] : [];
  for (const [i, base] of bases.entries()) {
    const target = healthTarget(health, base, policy);
    if (target.ok) continue;
    const pointer =
      target.field === "base_url" && instances.length > 0 ? `/instances/${i}/base_url` : "/health_url";
    throw new ServiceInvalidError(target.reason, pointer);
  }
}
