/**
 * Import rules, checked by `npm run check:imports` (part of `npm test`). docs/architecture.md draws the same map.
 *
 * Layers, top to bottom; a file may import its own layer's folder and anything below, never above:
 *
 *   entry      src/index.ts, src/app.ts
 *   http       src/routes/, src/admin/ (routes, validation, presentation), src/middleware/, src/dashboard/ (web UI)
 *   pipeline   src/pipeline/ (the steps of a /v1 request)
 *   domains    src/observability/, src/cache/, src/governance/, src/prompts/, src/configs/, src/routing/
 *              (ordered: a domain may import the domains after it in this list, never one before it), and
 *              guardrails/ (checks, registry, runner: they import only the kernel, schema and providers)
 *   storage    src/storage/ (D1 helpers, pagination, the audit writer), src/vault/ (AES-GCM sealing of credentials)
 *   kernel     src/lib/, src/*.ts (errors, context, settings): used by every layer
 *   contract   schema/, providers/
 *
 * Plus: no cycles between files, anywhere.
 */
const DOMAINS = ["observability", "cache", "governance", "prompts", "configs", "routing"];

/** A domain may not import the domains listed before it (the order above). */
const domainOrder = DOMAINS.map((domain, index) => ({
  name: `domain-order-${domain}`,
  comment: `src/${domain}/ may import only ${DOMAINS.slice(index + 1).join(", ") || "no other domain"} among the domains`,
  severity: "error",
  from: { path: `^src/${domain}/` },
  to: { path: `^src/(${DOMAINS.slice(0, index).join("|") || "(?!)"})/` },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No file may reach itself through its imports.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "nothing-imports-the-entry",
      comment: "src/index.ts and src/app.ts assemble the Worker; nothing depends on them.",
      severity: "error",
      from: { pathNot: "^src/index\\.ts$" },
      to: { path: "^src/(index|app)\\.ts$" },
    },
    {
      name: "http-is-not-imported-below",
      comment: "Routes and the admin API are HTTP only: the pipeline and the domains never import them.",
      severity: "error",
      from: {
        path: "^(src/(pipeline|observability|cache|governance|prompts|configs|routing|storage|lib)/|guardrails/|schema/|providers/)",
      },
      to: { path: "^src/(routes|admin|middleware|dashboard)/" },
    },
    {
      name: "pipeline-is-not-imported-below",
      comment: "The domains are called by the pipeline, never the other way round.",
      severity: "error",
      from: {
        path: "^(src/(observability|cache|governance|prompts|configs|routing|storage|vault|lib)/|guardrails/|schema/|providers/)",
      },
      to: { path: "^src/pipeline/" },
    },
    ...domainOrder,
    {
      name: "storage-and-kernel-stay-low",
      comment: "Storage helpers, the vault and the kernel know nothing of the domains.",
      severity: "error",
      from: { path: "^src/(storage|vault|lib)/" },
      to: { path: "^(src/(observability|cache|governance|prompts|configs|routing)/|guardrails/)" },
    },
    {
      name: "kernel-files-stay-low",
      comment: "src/*.ts kernel files (errors, context, settings, wait-until) import only schema and providers.",
      severity: "error",
      from: { path: "^src/(?!index\\.ts|app\\.ts)[^/]+\\.ts$" },
      to: { path: "^(src/[^/]+/|guardrails/)", pathNot: "^src/lib/" },
    },
    {
      name: "kernel-does-not-reach-up",
      comment: "src/lib/ sits under storage and the vault: it imports only kernel files, schema and providers.",
      severity: "error",
      from: { path: "^src/lib/" },
      to: { path: "^src/(storage|vault)/" },
    },
    {
      name: "guardrails-stand-alone",
      comment: "guardrails/ holds pure checks and their runner: the pipeline calls them, they call no domain.",
      severity: "error",
      from: { path: "^guardrails/" },
      to: { path: "^src/", pathNot: "^src/(lib/|errors\\.ts$|context\\.ts$)" },
    },
    {
      name: "contract-is-self-contained",
      comment: "schema/ and providers/ are the bottom: they never import the Worker's code.",
      severity: "error",
      from: { path: "^(schema|providers)/" },
      to: { path: "^(src|guardrails)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|test|bench|\\.wrangler)/|worker-configuration\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".json"] },
  },
};
