-- schema_2_audit.sql in PostgreSQL's types.
CREATE TABLE audit_entry (
    device          TEXT NOT NULL REFERENCES device (id),
    seq             BIGINT NOT NULL,
    at_ms           BIGINT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    object          TEXT NOT NULL,
    detail          TEXT NOT NULL,
    prev            TEXT NOT NULL,
    hash            TEXT NOT NULL,
    received_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (device, seq)
);

CREATE FUNCTION audit_entry_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entry is append-only';
END;
$$;

CREATE TRIGGER audit_entry_is_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_is_append_only();

UPDATE hub_schema SET version = 2;
