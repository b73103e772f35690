-- Each desk's audit log as the desk chained it: who did what, with codes and counts only.
-- Append-only: the hub's copy is the one a lost or wiped laptop cannot take with it.
CREATE TABLE audit_entry (
    device          TEXT NOT NULL REFERENCES device (id),
    seq             INTEGER NOT NULL,
    at_ms           INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    object          TEXT NOT NULL,
    detail          TEXT NOT NULL,
    prev            TEXT NOT NULL,
    hash            TEXT NOT NULL,
    received_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (device, seq)
) STRICT;

CREATE TRIGGER audit_entry_is_append_only_update BEFORE UPDATE ON audit_entry
BEGIN
    SELECT RAISE(ABORT, 'audit_entry is append-only');
END;

CREATE TRIGGER audit_entry_is_append_only_delete BEFORE DELETE ON audit_entry
BEGIN
    SELECT RAISE(ABORT, 'audit_entry is append-only');
END;
