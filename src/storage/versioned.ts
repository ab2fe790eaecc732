import type { BatchItem } from "drizzle-orm/batch";
import { GatewayError } from "../errors";
import { auditInsert, type AuditDetails } from "./audit";
import { isUniqueViolation, type Db } from "./db";

/**
 * The write rules shared by every saved, versioned resource (configs, guardrails, prompts): a head row with a slug
 * that is unique among live rows, an immutable series of versions whose (id, version) key doubles as optimistic
 * locking, and archiving instead of deleting. Each change is one D1 batch with its audit row, so both or neither
 * commit. The `noun` ("config", "guardrail", "prompt") names the audit resource type, the messages and the codes.
 */

/** The head row's columns every versioned resource has. */
export interface VersionedHead {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
  latestVersion: number;
  archived: boolean;
}

type Write = BatchItem<"sqlite">;

export const versionedNotFound = (noun: string, ref: string) =>
  new GatewayError(404, `${noun} ${JSON.stringify(ref)} not found`, { code: `${noun}_not_found` });

/** The row a path names, or 404; archived rows are read-only (409 for writes). */
export function requireVersioned<Row extends VersionedHead>(
  noun: string,
  ref: string,
  row: Row | undefined,
  forWrite: boolean,
): Row {
  if (!row) throw versionedNotFound(noun, ref);
  if (forWrite && row.archived) {
    throw new GatewayError(409, `${noun} ${JSON.stringify(ref)} is archived and can no longer change`, {
      code: `${noun}_archived`,
    });
  }
  return row;
}

export const slugTaken = (noun: string, slug: string) =>
  new GatewayError(409, `slug: a ${noun} with slug ${JSON.stringify(slug)} already exists`, {
    param: "slug",
    code: `${noun}_slug_taken`,
  });

/** A fresh head row at version 1. */
export function newVersionedHead(slug: string, name: string | undefined, now: Date): VersionedHead {
  return {
    id: crypto.randomUUID(),
    slug,
    name: name ?? slug,
    createdAt: now,
    updatedAt: now,
    latestVersion: 1,
    archived: false,
  };
}

/** Commits the head and version-1 inserts with a "create" audit row; a concurrent create of the same slug is a 409. */
export async function commitCreate(
  db: Db,
  noun: string,
  actor: string,
  row: VersionedHead,
  head: Write,
  version: Write,
): Promise<void> {
  const details = { slug: row.slug, version: 1 };
  try {
    await db.batch([
      head,
      version,
      auditInsert(db, { actor, action: "create", resourceType: noun, resourceId: row.id, at: row.createdAt, details }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(noun, row.slug);
    throw error;
  }
}

/**
 * Commits version n + 1 (`version`, then the guarded head update) with an "update" audit row. A concurrent update
 * hits the (id, version) primary key: a 409 to fetch and retry, never a lost write.
 */
export async function commitVersion(
  db: Db,
  noun: string,
  actor: string,
  current: VersionedHead,
  writes: { version: Write; head: Write; at: Date; extra?: AuditDetails },
): Promise<void> {
  const version = current.latestVersion + 1;
  const details = { slug: current.slug, version, previous_version: current.latestVersion, ...writes.extra };
  const audit = auditInsert(db, {
    actor,
    action: "update",
    resourceType: noun,
    resourceId: current.id,
    at: writes.at,
    details,
  });
  try {
    await db.batch([writes.version, writes.head, audit]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new GatewayError(
      409,
      `${noun} ${JSON.stringify(current.slug)} was updated concurrently; fetch it and retry`,
      {
        code: `${noun}_conflict`,
      },
    );
  }
}

/** Commits the archiving update with an "archive" audit row; returns the archived row. */
export async function commitArchive<Row extends VersionedHead>(
  db: Db,
  noun: string,
  actor: string,
  current: Row,
  archive: Write,
  now: Date,
): Promise<Row> {
  const details = { slug: current.slug, version: current.latestVersion };
  await db.batch([
    archive,
    auditInsert(db, { actor, action: "archive", resourceType: noun, resourceId: current.id, at: now, details }),
  ]);
  return { ...current, archived: true, updatedAt: now };
}
