/**
 * vitest global setup: builds the views' HTML (scripts/build-views.mjs) when src/apps/views/
 * changed since the last build, so every test (run alone too) serves the views of this tree.
 */
import { pathToFileURL } from "node:url";

export default async function setup(): Promise<void> {
  const script = pathToFileURL(new URL("../../scripts/build-views.mjs", import.meta.url).pathname).href;
  const views = (await import(script)) as { viewsStale: () => boolean; buildViews: () => Promise<unknown> };
  if (views.viewsStale()) await views.buildViews();
}
