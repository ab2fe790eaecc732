import { html } from "hono/html";
import { when } from "./format";

/** A row of a saved, versioned item (config, guardrail, prompt) as the list pages show it. */
interface SavedItemRow {
  slug: string;
  name: string;
  latestVersion: number;
  archived: boolean;
  updatedAt: Date;
}

interface SavedTableOptions<Row extends SavedItemRow> {
  /** Names the table (`<kind>s`) and each row's `data-<kind>` attribute, which tests and scripts select by. */
  kind: string;
  href: (row: Row) => string;
  /** What the page says when there are no rows yet. */
  empty: ReturnType<typeof html>;
  /** The version column's heading. */
  versionHeading: string;
}

/** The one list view of saved, versioned items: slug (linked), name, latest version, status, last update. */
export function savedItemTable<Row extends SavedItemRow>(rows: Row[], options: SavedTableOptions<Row>) {
  if (rows.length === 0) return options.empty;
  const body = rows.map(
    (row) =>
      html`<tr data-${options.kind}="${row.slug}">
        <td><a href="${options.href(row)}">${row.slug}</a></td>
        <td>${row.name}</td>
        <td class="num">v${row.latestVersion}</td>
        <td>${row.archived ? "archived" : "live"}</td>
        <td>${when(row.updatedAt.toISOString())}</td>
      </tr>`,
  );
  return html`<div class="table-wrap">
    <table id="${options.kind}s">
      <thead>
        <tr>
          <th>slug</th>
          <th>name</th>
          <th class="num">${options.versionHeading}</th>
          <th>status</th>
          <th>updated</th>
        </tr>
      </thead>
      <tbody>
        ${body}
      </tbody>
    </table>
  </div>`;
}
