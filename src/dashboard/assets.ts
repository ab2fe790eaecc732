import { Hono } from "hono";
import { ASSETS } from "./assets.generated";
import type { DashboardEnv } from "./context";

type AssetName = keyof typeof ASSETS;

/** `/dashboard/static/<hash>/<name>`: the content hash in the path lets browsers cache each version for good. */
export const assetUrl = (name: AssetName): string => `/dashboard/static/${ASSETS[name].hash}/${name}`;

const isAsset = (name: string): name is AssetName => Object.hasOwn(ASSETS, name);

/** Static files (no data in them, so no session needed: the sign-in page uses them too). */
export const staticRoutes = new Hono<DashboardEnv>();

staticRoutes.get("/:hash/:name", (c) => {
  const name = c.req.param("name");
  if (!isAsset(name)) return c.text("not found", 404);
  const asset = ASSETS[name];
  const current = c.req.param("hash") === asset.hash;
  return c.body(asset.body, 200, {
    "Content-Type": asset.type,
    // An old hash still gets today's file (a page cached across a deploy), just not for long.
    "Cache-Control": current ? "public, max-age=31536000, immutable" : "public, max-age=60",
  });
});
