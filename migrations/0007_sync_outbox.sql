-- Đồng bộ: what this desk owes the hub, kept in the same transactions as the data it describes.

-- One row per dossier. `change` is the dossier's version: triggers raise it in the transaction
-- of every change to the dossier, its events, its pages or its checklist, so nothing committed
-- can be missed and an edit made while an upload runs gives a new version instead of being
-- overwritten. `acked` is the highest version the hub accepted: the dossier waits while
-- change > acked.
CREATE TABLE sync_dossier (
    dossier_id           TEXT PRIMARY KEY NOT NULL REFERENCES dossier (id),
    change               INTEGER NOT NULL,
    acked                INTEGER NOT NULL DEFAULT 0,
    -- When the oldest change the hub has not accepted was made (Unix ms; SQLite's clock).
    pending_since_ms     INTEGER NOT NULL,
    -- The hub refused `quarantined_version` for good, for this reason (other_unit,
    -- version_conflict, invalid, too_large…); a later version is tried again.
    quarantine           TEXT,
    quarantined_version  INTEGER,
    -- Failed attempts in a row, and when to try again (Unix ms); reset by progress.
    attempts             INTEGER NOT NULL DEFAULT 0,
    next_try_ms          INTEGER NOT NULL DEFAULT 0,
    CHECK (acked <= change)
) STRICT;

CREATE INDEX sync_dossier_waiting ON sync_dossier (pending_since_ms) WHERE change > acked;

-- One row per kept file: how far its upload has gone. `upload_url` is the hub's tus resource,
-- `confirmed` the bytes the hub confirmed; `done` once the hub holds the file, verified.
CREATE TABLE sync_file (
    hash        TEXT PRIMARY KEY NOT NULL REFERENCES blob (hash),
    upload_url  TEXT,
    confirmed   INTEGER NOT NULL DEFAULT 0,
    done        INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TRIGGER sync_new_dossier AFTER INSERT ON dossier
BEGIN
    INSERT INTO sync_dossier (dossier_id, change, pending_since_ms)
    VALUES (NEW.id, 1, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;

CREATE TRIGGER sync_dossier_changed AFTER UPDATE ON dossier
BEGIN
    UPDATE sync_dossier
    SET change = change + 1,
        pending_since_ms = CASE WHEN change = acked
            THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) ELSE pending_since_ms END
    WHERE dossier_id = NEW.id;
END;

CREATE TRIGGER sync_event_added AFTER INSERT ON dossier_event
BEGIN
    UPDATE sync_dossier
    SET change = change + 1,
        pending_since_ms = CASE WHEN change = acked
            THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) ELSE pending_since_ms END
    WHERE dossier_id = NEW.dossier_id;
END;

CREATE TRIGGER sync_page_added AFTER INSERT ON page
BEGIN
    UPDATE sync_dossier
    SET change = change + 1,
        pending_since_ms = CASE WHEN change = acked
            THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) ELSE pending_since_ms END
    WHERE dossier_id = NEW.dossier_id;
END;

CREATE TRIGGER sync_page_removed AFTER DELETE ON page
BEGIN
    UPDATE sync_dossier
    SET change = change + 1,
        pending_since_ms = CASE WHEN change = acked
            THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) ELSE pending_since_ms END
    WHERE dossier_id = OLD.dossier_id;
END;

-- Only what the hub receives: recognised text and thumbnails stay on the desk.
CREATE TRIGGER sync_page_changed
AFTER UPDATE OF dossier_id, kind, component, result_code, position, blob_hash, pdf_page, rotation
ON page
BEGIN
    UPDATE sync_dossier
    SET change = change + 1,
        pending_since_ms = CASE WHEN change = acked
            THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) ELSE pending_since_ms END
    WHERE dossier_id IN (OLD.dossier_id, NEW.dossier_id);
END;

CREATE TRIGGER sync_checklist_added AFTER INSERT ON dossier_component
BEGIN
    UPDATE sync_dossier
    SET change = change + 1,
        pending_since_ms = CASE WHEN change = acked
            THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) ELSE pending_since_ms END
    WHERE dossier_id = NEW.dossier_id;
END;

CREATE TRIGGER sync_checklist_changed AFTER UPDATE ON dossier_component
BEGIN
    UPDATE sync_dossier
    SET change = change + 1,
        pending_since_ms = CASE WHEN change = acked
            THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) ELSE pending_since_ms END
    WHERE dossier_id = NEW.dossier_id;
END;

CREATE TRIGGER sync_new_file AFTER INSERT ON blob
BEGIN
    INSERT INTO sync_file (hash) VALUES (NEW.hash);
END;

-- What the desk held before this version waits to be sent.
INSERT INTO sync_dossier (dossier_id, change, pending_since_ms)
SELECT id, 1, received_at_ms FROM dossier;
INSERT INTO sync_file (hash) SELECT hash FROM blob;
