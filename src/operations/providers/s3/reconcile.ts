import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import type { Reconciler, ResourceStates } from "../provider.ts";
import { s3Client } from "./client.ts";
import { safeRunId, TRASH_PREFIX } from "./inputs.ts";
import { call, copyObject, headObject, isNotFound, type ObjectState, sameObject } from "./s3-calls.ts";

const RESOURCE = "object s3://";

/** `.opsdojo-trash/<run>/kept/<slot>/<key>`: beside the run's trash, left alone by `runs commit`. */
export function keptKey(runId: string, slot: string, key: string): string {
  return `${TRASH_PREFIX}${safeRunId(runId)}/kept/${slot}/${key}`;
}

function parseResource(resource: string): { bucket: string; key: string } {
  const rest = resource.startsWith(RESOURCE) ? resource.slice(RESOURCE.length) : resource.slice(5);
  const slash = rest.indexOf("/");
  return { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

const sorted = (map: Readonly<Record<string, string>>) => JSON.stringify(Object.entries(map).sort());

/** Same object: the same bytes (ETag and size), content headers, metadata and tags. */
export function sameObjectState(a: unknown, b: unknown): boolean {
  const x = a as ObjectState;
  const y = b as ObjectState;
  if (!x.exists || !y.exists) return x.exists === y.exists;
  if (!sameObject(x, y)) return false;
  const { metadata: ma, tags: ta, ...ha } = x.headers;
  const { metadata: mb, tags: tb, ...hb } = y.headers;
  return (
    sorted(ha as Record<string, string>) === sorted(hb as Record<string, string>) &&
    sorted(ma) === sorted(mb) &&
    sorted(ta) === sorted(tb)
  );
}

/**
 * The reconciler of the object actions (s3.put_object, s3.delete_object): the state of
 * `s3://bucket/key` is its ETag, size, content headers, metadata and tags. A conflicting version
 * is kept by a server-side copy to the run's `kept/` keys in the same bucket, then removed, so
 * the action's undo finds the key empty.
 */
export function objectReconciler<State extends { bucket: string; key: string }>(
  action: string,
): Reconciler<Record<string, unknown>, State> {
  return {
    async stateOf(_input, state): Promise<ResourceStates> {
      const now = await headObject(s3Client(), action, state.bucket, state.key);
      return { [`${RESOURCE}${state.bucket}/${state.key}`]: now };
    },
    sameState: sameObjectState,
    async keepAside(resource, _input, _state, slot, context) {
      const { bucket, key } = parseResource(resource);
      const client = s3Client();
      const kept = keptKey(context.runId, slot, key);
      const here = await headObject(client, action, bucket, key);
      if (!here.exists) {
        const already = await headObject(client, action, bucket, kept);
        return already.exists ? `s3://${bucket}/${kept}` : undefined;
      }
      await copyObject(client, action, { bucket, key }, { bucket, key: kept });
      const copied = await headObject(client, action, bucket, kept);
      if (!sameObject(copied, here)) throw new Error(`the copy of s3://${bucket}/${key} does not match it`);
      await call(action, { bucket, key }, "deleting", () =>
        client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })),
      );
      return `s3://${bucket}/${kept}`;
    },
    async purgeKept(location) {
      const { bucket, key } = parseResource(location);
      if (!key.startsWith(TRASH_PREFIX) || !key.includes("/kept/")) return;
      try {
        await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
    describeState(state) {
      const o = state as ObjectState;
      if (!o.exists) return "absent";
      return `object, ${o.size} bytes, ETag ${o.etag}, ${o.headers.content_type ?? "no content type"}`;
    },
  };
}
