/** The service directory: every service, its versions and its instances' health (failing first). */
import { getJson } from "./api.ts";
import type { ServicePage } from "./api-types.ts";
import { element } from "./dom.ts";
import { empty, idPath, status, text } from "./format.ts";
import { every, LIST_REFRESH_MS } from "./poll.ts";
import { worstFirst } from "./service.ts";
import type { View } from "./view.ts";

export const servicesView: View = (root, _params, ctx) => {
  root.innerHTML =
    '<h2>Service directory</h2><table class="list"><thead><tr><th>name</th><th>owner</th><th>lifecycle</th><th>versions</th><th>instances</th></tr></thead><tbody></tbody></table>';
  const body = element(root, "tbody");
  every(LIST_REFRESH_MS, ctx, async () => {
    const page = await getJson<ServicePage>("/api/services?limit=500&sort=name", ctx.signal);
    body.innerHTML =
      page.items
        .map(
          (s) =>
            `<tr data-id="${text(s.id)}"><td><a href="#/services/${text(idPath(s.id))}">${text(s.name)}</a></td><td>${text(s.owner)}</td><td>${text(s.lifecycle)}</td><td>${s.versions
              .map((v) => `${text(v.version)} ${text(v.status)}`)
              .join(", ")}</td><td>${worstFirst(s.instances)
              .map((i) => `${status(i.status)} ${text(i.base_url)}`)
              .join("<br>")}</td></tr>`,
        )
        .join("") || empty(5, "No services registered.");
  });
};
