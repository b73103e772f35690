-- Số hóa: the files the desk keeps, the pages of each dossier, and their recognised text.

-- Every file kept, named by the SHA-256 of its bytes (blobs/ab/abcdef… in the data directory).
-- The file is written, flushed and renamed into place before its row is committed.
CREATE TABLE blob (
    hash           TEXT PRIMARY KEY NOT NULL,   -- lower-case hex SHA-256
    size           INTEGER NOT NULL,
    media_type     TEXT NOT NULL,               -- image/jpeg, image/png, application/pdf
    created_at_ms  INTEGER NOT NULL
) STRICT;

-- Trang: one page of a dossier, in a component (thành phần) or among its results (kết quả).
CREATE TABLE page (
    id              TEXT PRIMARY KEY NOT NULL,  -- UUID minted on the desk
    dossier_id      TEXT NOT NULL REFERENCES dossier (id),
    kind            TEXT NOT NULL,              -- 'component' (đầu vào) or 'result' (đầu ra)
    component       INTEGER,                    -- 1-based, in the procedure's order; NULL for results
    result_code     TEXT,                       -- results only: the number the result was issued under
    position        INTEGER NOT NULL,           -- order within its component (or the results)
    blob_hash       TEXT NOT NULL REFERENCES blob (hash),
    pdf_page        INTEGER,                    -- page index when the file is a PDF
    width           INTEGER NOT NULL,           -- pixels; points for a PDF page
    height          INTEGER NOT NULL,
    dpi             INTEGER,
    rotation        INTEGER NOT NULL DEFAULT 0, -- 0, 90, 180, 270 clockwise, applied when shown
    skew            REAL NOT NULL DEFAULT 0,    -- degrees clockwise, measured; taken out when shown
    ink             REAL NOT NULL,
    blank           INTEGER NOT NULL,
    colour          INTEGER NOT NULL,
    qr              TEXT,
    phash           INTEGER NOT NULL,           -- 64-bit gradient hash, as a signed integer
    source          TEXT NOT NULL,              -- 'file' or 'scan'
    source_name     TEXT NOT NULL,              -- the file's name, or the scanner
    note_of         TEXT REFERENCES page (id),  -- the second image of a page with a sticky note
    thumbnail       BLOB NOT NULL,              -- small JPEG
    ocr_state       TEXT NOT NULL DEFAULT 'pending',  -- pending, done, failed, none (PDF pages)
    ocr_text        TEXT,
    ocr_words       TEXT,                       -- JSON: [[text, left, top, width, height], …]
    ocr_confidence  REAL,
    created_at_ms   INTEGER NOT NULL,
    CHECK (rotation IN (0, 90, 180, 270)),
    CHECK (kind IN ('component', 'result')),
    CHECK ((kind = 'component') = (component IS NOT NULL))
) STRICT;

CREATE INDEX page_by_dossier ON page (dossier_id, kind, component, position);
CREATE INDEX page_by_blob ON page (blob_hash);
CREATE INDEX page_waiting_for_text ON page (created_at_ms) WHERE ocr_state = 'pending';

-- The recognised text of each page (rowid = page.rowid), folded like dossier_search.
CREATE VIRTUAL TABLE page_search USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2');

-- What the officer declared and checked for each component at the counter.
CREATE TABLE dossier_component (
    dossier_id      TEXT NOT NULL REFERENCES dossier (id),
    component       INTEGER NOT NULL,
    checked         INTEGER NOT NULL DEFAULT 0,   -- ticked on the checklist
    declared_pages  INTEGER,                      -- pages the officer counted, if any
    PRIMARY KEY (dossier_id, component)
) STRICT;
