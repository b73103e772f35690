-- Hồ sơ: dossiers registered on this desk.
CREATE TABLE dossier (
    id              TEXT PRIMARY KEY NOT NULL,   -- UUID minted on the desk; never changes
    procedure_code  TEXT NOT NULL,               -- Mã TTHC, national form N.NNNNNN
    applicant_name  TEXT NOT NULL,               -- Chủ hồ sơ
    received_at_ms  INTEGER NOT NULL             -- Unix milliseconds, UTC
) STRICT;

CREATE INDEX dossier_by_received_at ON dossier (received_at_ms DESC, id);

-- Cài đặt: this desk's preferences, one row per key.
CREATE TABLE setting (
    key    TEXT PRIMARY KEY NOT NULL,
    value  TEXT NOT NULL
) STRICT;
