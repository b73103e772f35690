-- Official dossier codes, business status, due dates, and the append-only event log.

-- Mã hồ sơ: UNITCODE-YYMMDD-XXXX; NULL for dossiers registered before the unit was set up.
ALTER TABLE dossier ADD COLUMN code TEXT;
-- The status folded from the event log, written in the same transaction as each event.
ALTER TABLE dossier ADD COLUMN status TEXT NOT NULL DEFAULT 'received';
-- Ngày hẹn trả (Unix milliseconds, UTC); NULL when the procedure sets no time limit.
ALTER TABLE dossier ADD COLUMN due_at_ms INTEGER;

CREATE UNIQUE INDEX dossier_by_code ON dossier (code) WHERE code IS NOT NULL;
CREATE INDEX dossier_by_status ON dossier (status, received_at_ms DESC);

-- Every change of a dossier, in order. Rows are never updated or deleted.
CREATE TABLE dossier_event (
    dossier_id  TEXT NOT NULL REFERENCES dossier (id),
    seq         INTEGER NOT NULL,       -- 1, 2, … per dossier
    kind        TEXT NOT NULL,          -- receive, transfer, back, supplement-request, …
    at_ms       INTEGER NOT NULL,
    reason      TEXT,
    PRIMARY KEY (dossier_id, seq)
) STRICT;

CREATE TRIGGER dossier_event_is_append_only_update BEFORE UPDATE ON dossier_event
BEGIN
    SELECT RAISE(ABORT, 'the dossier event log is append-only');
END;

CREATE TRIGGER dossier_event_is_append_only_delete BEFORE DELETE ON dossier_event
BEGIN
    SELECT RAISE(ABORT, 'the dossier event log is append-only');
END;

-- Dossiers registered before this version were received: their log starts there.
INSERT INTO dossier_event (dossier_id, seq, kind, at_ms, reason)
SELECT id, 1, 'receive', received_at_ms, NULL FROM dossier;

-- How many codes this desk has issued on each day (YYMMDD, Vietnamese civil date).
CREATE TABLE code_counter (
    day     TEXT PRIMARY KEY NOT NULL,
    issued  INTEGER NOT NULL
) STRICT;
