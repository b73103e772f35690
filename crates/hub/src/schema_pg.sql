-- The hub's records on PostgreSQL: the same tables as schema.sql, in PostgreSQL's types.

CREATE TABLE unit (
    code           TEXT PRIMARY KEY NOT NULL,   -- Mã đơn vị
    name           TEXT NOT NULL,
    created_at_ms  BIGINT NOT NULL
);

-- One-time enrollment codes, kept as SHA-256 hashes.
CREATE TABLE enrollment_code (
    code_hash      TEXT PRIMARY KEY NOT NULL,
    unit           TEXT NOT NULL REFERENCES unit (code),
    created_at_ms  BIGINT NOT NULL,
    used_at_ms     BIGINT
);

-- Enrolled desks; the credential is kept as a SHA-256 hash.
CREATE TABLE device (
    id               TEXT PRIMARY KEY NOT NULL,
    unit             TEXT NOT NULL REFERENCES unit (code),
    slot             BIGINT NOT NULL,
    name             TEXT NOT NULL,
    app_version      TEXT NOT NULL,
    token_hash       TEXT NOT NULL UNIQUE,
    enrolled_at_ms   BIGINT NOT NULL,
    last_contact_ms  BIGINT,
    disabled         BIGINT NOT NULL DEFAULT 0,
    heartbeat        TEXT,                       -- the latest heartbeat, JSON
    heartbeat_at_ms  BIGINT,
    UNIQUE (unit, slot)
);

-- tus uploads, per unit. `id` is the content hash when the desk named it, else a UUID.
CREATE TABLE upload (
    id             TEXT NOT NULL,
    unit           TEXT NOT NULL REFERENCES unit (code),
    sha256         TEXT,
    length         BIGINT NOT NULL,
    received       BIGINT NOT NULL DEFAULT 0,   -- bytes written and flushed
    complete       BIGINT NOT NULL DEFAULT 0,
    metadata       TEXT NOT NULL DEFAULT '',
    created_at_ms  BIGINT NOT NULL,
    updated_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (unit, id)
);

-- The files each unit has uploaded, complete and verified (bytes in the file store).
CREATE TABLE unit_file (
    unit            TEXT NOT NULL REFERENCES unit (code),
    sha256          TEXT NOT NULL,
    size            BIGINT NOT NULL,
    media_type      TEXT,
    received_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (unit, sha256)
);

-- Batches seen, with the answer given: the same batch again gets the same answer.
CREATE TABLE batch (
    unit            TEXT NOT NULL REFERENCES unit (code),
    batch_id        TEXT NOT NULL,
    body_hash       TEXT NOT NULL,
    answer          TEXT NOT NULL,
    device          TEXT NOT NULL,
    received_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (unit, batch_id)
);

-- Every dossier version accepted.
CREATE TABLE dossier_version (
    dossier_id      TEXT NOT NULL,
    version         BIGINT NOT NULL,
    content_hash    TEXT NOT NULL,
    record          TEXT NOT NULL,
    files           TEXT NOT NULL,
    device          TEXT NOT NULL,
    received_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (dossier_id, version)
);

-- Each dossier once, at its highest version.
CREATE TABLE dossier (
    id             TEXT PRIMARY KEY NOT NULL,
    unit           TEXT NOT NULL REFERENCES unit (code),
    code           TEXT,
    version        BIGINT NOT NULL,
    record         TEXT NOT NULL,
    updated_at_ms  BIGINT NOT NULL
);

CREATE INDEX dossier_by_unit ON dossier (unit, updated_at_ms);
CREATE INDEX dossier_by_code ON dossier (code);

-- What each unit pulls, in order.
CREATE TABLE change (
    seq    BIGSERIAL PRIMARY KEY,
    unit   TEXT NOT NULL REFERENCES unit (code),
    body   TEXT NOT NULL,
    at_ms  BIGINT NOT NULL
);

CREATE INDEX change_by_unit ON change (unit, seq);

-- Marks the schema as created (checked at start-up).
CREATE TABLE hub_schema (version BIGINT NOT NULL);
INSERT INTO hub_schema (version) VALUES (1);
