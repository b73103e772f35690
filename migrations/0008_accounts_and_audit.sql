-- Accounts, who did what, and the audit log.
--
-- Passwords are not kept here: each account's password wraps the desk's data key in the key
-- file beside the database (keys.json); this table says who the account is and what it may do.
CREATE TABLE account (
    name            TEXT PRIMARY KEY NOT NULL,   -- sign-in name, e.g. "lan"
    full_name       TEXT NOT NULL,               -- printed on forms and shown in the log
    role            TEXT NOT NULL CHECK (role IN ('officer', 'supervisor', 'admin')),
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at_ms   INTEGER NOT NULL
) STRICT;

-- Who did each step of a dossier's life: the account, or NULL for steps recorded before
-- accounts existed and for changes pulled from the hub.
ALTER TABLE dossier_event ADD COLUMN actor TEXT;

-- Append-only and hash-chained: each entry's hash covers its own fields and the hash of the
-- entry before it, so an edited, removed or reordered entry breaks the chain at that point.
-- The setting 'audit.head' holds the last entry's seq and hash, written in the same
-- transaction, so removing entries at the end is caught too.
CREATE TABLE audit_log (
    seq      INTEGER PRIMARY KEY NOT NULL,   -- 1, 2, … with no gaps
    at_ms    INTEGER NOT NULL,
    actor    TEXT NOT NULL,                  -- account name, or "" for the desk itself
    action   TEXT NOT NULL,                  -- sign-in, view, print, export, change, delete, settings, …
    object   TEXT NOT NULL,                  -- what it was done to: a dossier id, an account, …
    detail   TEXT NOT NULL,                  -- codes and counts only, never personal data
    prev     TEXT NOT NULL,                  -- the hash of entry seq - 1 ("" for the first)
    hash     TEXT NOT NULL                   -- SHA-256 of the fields above, hex
) STRICT;

CREATE INDEX audit_log_by_time ON audit_log (at_ms);

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
