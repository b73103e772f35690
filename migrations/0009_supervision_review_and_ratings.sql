-- Giám sát: what supervisors count, the review of each dossier's pages, and citizens' ratings.

-- One row per dossier: the facts the backlog and the indicators count, written by the desk in
-- the transaction of every change to the dossier, its events or its pages (the catalogue
-- decides which components need a scan, so the desk computes them, not a trigger). It is a
-- cache: the desk can rebuild every row from the dossier, its log and its pages, and does so
-- when a row is missing or the catalogue it was computed under changed. No sync trigger
-- watches it: the hub is sent the dossier itself.
CREATE TABLE dossier_progress (
    dossier_id           TEXT PRIMARY KEY NOT NULL REFERENCES dossier (id),
    -- The dossier's own procedure, reception time and status, copied so that a queue and its
    -- filters are answered from one index without reading the dossiers.
    procedure_code       TEXT NOT NULL,
    received_at_ms       INTEGER NOT NULL,
    status               TEXT NOT NULL,
    officer              TEXT,                        -- the account that received it
    digitised            INTEGER NOT NULL,            -- every component needing a scan has a page
    component_pages      INTEGER NOT NULL,
    result_expected      INTEGER NOT NULL,            -- the procedure issues a result document
    result_pages         INTEGER NOT NULL,
    reused_pages         INTEGER NOT NULL,            -- pages taken from data digitised earlier
    resolved             INTEGER NOT NULL,            -- status resolved or returned
    finished_at_ms       INTEGER,                     -- resolved, refused, withdrawn or stopped
    supplement_requests  INTEGER NOT NULL,
    review               TEXT NOT NULL DEFAULT 'pending',
    review_note          TEXT,                        -- the note of the last return
    CHECK (review IN ('pending', 'approved', 'rework')),
    CHECK (digitised IN (0, 1) AND result_expected IN (0, 1) AND resolved IN (0, 1))
) STRICT;

-- The queues count only the few rows each partial index holds, whatever the desk's size; each
-- index carries what the filters read (officer, procedure, reception time, status).
CREATE INDEX progress_not_digitised ON dossier_progress
    (officer, procedure_code, received_at_ms, status) WHERE digitised = 0;
CREATE INDEX progress_awaiting_review ON dossier_progress
    (officer, procedure_code, received_at_ms, status)
    WHERE digitised = 1 AND component_pages > 0 AND review = 'pending';
CREATE INDEX progress_rework ON dossier_progress
    (officer, procedure_code, received_at_ms, status) WHERE review = 'rework';
CREATE INDEX progress_results_missing ON dossier_progress
    (officer, procedure_code, received_at_ms, status)
    WHERE resolved = 1 AND result_expected = 1 AND result_pages = 0;
-- Open dossiers by due date, for due today, tomorrow and overdue.
CREATE INDEX dossier_open_by_due ON dossier (due_at_ms)
    WHERE status IN ('received', 'processing', 'payment_requested');

-- Lưu giữ: the local copy of a finished dossier the hub holds may be purged after the unit's
-- retention period. Its logs may then be deleted, and only then: the purge names the dossier
-- here in its own transaction and removes the name before committing.
CREATE TABLE purging (dossier_id TEXT PRIMARY KEY NOT NULL) STRICT;

DROP TRIGGER dossier_event_is_append_only_delete;
CREATE TRIGGER dossier_event_is_append_only_delete BEFORE DELETE ON dossier_event
WHEN OLD.dossier_id NOT IN (SELECT dossier_id FROM purging)
BEGIN
    SELECT RAISE(ABORT, 'the dossier event log is append-only');
END;

-- Every review decision, in order. Rows are never updated or deleted (but by a purge).
CREATE TABLE dossier_review (
    dossier_id  TEXT NOT NULL REFERENCES dossier (id),
    seq         INTEGER NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('approve', 'rework', 'resubmit')),
    note        TEXT,
    actor       TEXT NOT NULL,
    at_ms       INTEGER NOT NULL,
    PRIMARY KEY (dossier_id, seq)
) STRICT;

CREATE TRIGGER dossier_review_is_append_only_update BEFORE UPDATE ON dossier_review
BEGIN
    SELECT RAISE(ABORT, 'the review log is append-only');
END;

CREATE TRIGGER dossier_review_is_append_only_delete BEFORE DELETE ON dossier_review
WHEN OLD.dossier_id NOT IN (SELECT dossier_id FROM purging)
BEGIN
    SELECT RAISE(ABORT, 'the review log is append-only');
END;

-- Mức độ hài lòng: what the citizen said when the result was handed over (the latest word).
CREATE TABLE dossier_rating (
    dossier_id  TEXT PRIMARY KEY NOT NULL REFERENCES dossier (id),
    rating      TEXT NOT NULL CHECK (rating IN ('satisfied', 'neutral', 'dissatisfied')),
    at_ms       INTEGER NOT NULL,
    actor       TEXT
) STRICT;
