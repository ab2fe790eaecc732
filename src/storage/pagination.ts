import { badRequest } from "../errors";

/**
 * Keyset pagination for admin lists: the cursor is the sort key (e.g. created_at, version) and id of the last row
 * served, opaque to clients (base64url JSON). Rows inserted meanwhile never shift a page the way OFFSET would.
 */
export interface Cursor {
  key: number;
  id: string;
}

export interface Page<T> {
  object: "list";
  data: T[];
  next_cursor: string | null;
}

export function encodeCursor(cursor: Cursor): string {
  return btoa(JSON.stringify([cursor.key, cursor.id]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodeCursor(raw: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(atob(raw.replaceAll("-", "+").replaceAll("_", "/")));
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [key, id] = parsed as [unknown, unknown];
      if (typeof key === "number" && Number.isFinite(key) && typeof id === "string") return { key, id };
    }
  } catch {
    // fall through to the 400 below
  }
  throw badRequest(
    "cursor: invalid cursor (pass back the next_cursor of the previous page)",
    "cursor",
    "invalid_cursor",
  );
}

/** Build a page from `limit + 1` fetched rows: the extra row only says whether there is a next page. */
export function toPage<Row, T>(
  rows: Row[],
  limit: number,
  cursorOf: (row: Row) => Cursor,
  render: (row: Row) => T,
): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    object: "list",
    data: pageRows.map(render),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}
