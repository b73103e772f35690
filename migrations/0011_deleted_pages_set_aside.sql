-- Hoàn tác xoá trang: a page the officer deletes is set aside here, whole, for a while, so the
-- deletion can be undone. Set aside, it is gone from its dossier at once (views, counts, the
-- checklist, the archive, search, recognition, sync); brought back, it returns to its place
-- with its target, turn and text. The desk deletes it for good after a grace period, with
-- its file if no other page names it.
CREATE TABLE page_aside (
    id              TEXT PRIMARY KEY NOT NULL,  -- the page's own id, kept
    dossier_id      TEXT NOT NULL REFERENCES dossier (id),
    kind            TEXT NOT NULL,
    component       INTEGER,
    result_code     TEXT,
    position        INTEGER NOT NULL,           -- its place when it was set aside
    blob_hash       TEXT NOT NULL REFERENCES blob (hash),
    pdf_page        INTEGER,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    dpi             INTEGER,
    rotation        INTEGER NOT NULL,
    skew            REAL NOT NULL,
    ink             REAL NOT NULL,
    blank           INTEGER NOT NULL,
    colour          INTEGER NOT NULL,
    qr              TEXT,
    phash           INTEGER NOT NULL,
    source          TEXT NOT NULL,
    source_name     TEXT NOT NULL,
    note_of         TEXT,                       -- the page it was the second image of
    second_image    TEXT,                       -- its second image, left as a page of its own
    thumbnail       BLOB NOT NULL,
    ocr_state       TEXT NOT NULL,
    ocr_text        TEXT,
    ocr_words       TEXT,
    ocr_confidence  REAL,
    created_at_ms   INTEGER NOT NULL,
    deleted_at_ms   INTEGER NOT NULL            -- Unix ms, the desk's clock
) STRICT;

CREATE INDEX page_aside_by_time ON page_aside (deleted_at_ms);
CREATE INDEX page_aside_by_dossier ON page_aside (dossier_id);
CREATE INDEX page_aside_by_blob ON page_aside (blob_hash);

-- Kept files whose rows are gone (no page names them any more): their bytes are removed from
-- the disk after the transaction that removed the rows commits, and the name is crossed off
-- last, so a crash in between leaves a name to finish with, never a row without its file.
CREATE TABLE blob_released (hash TEXT PRIMARY KEY NOT NULL) STRICT;
