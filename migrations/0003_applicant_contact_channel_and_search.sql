-- The applicant's contact details, the channel, and the full-text search index.

ALTER TABLE dossier ADD COLUMN applicant_id_number TEXT;   -- Số CCCD/CMND (personal data)
ALTER TABLE dossier ADD COLUMN applicant_phone TEXT;       -- 0xxxxxxxxx (personal data)
ALTER TABLE dossier ADD COLUMN applicant_address TEXT;     -- (personal data)
ALTER TABLE dossier ADD COLUMN applicant_email TEXT;       -- (personal data)
ALTER TABLE dossier ADD COLUMN channel TEXT NOT NULL DEFAULT 'direct';  -- direct, online, post

-- One row per dossier (rowid = dossier.rowid): its code, applicant, ID number, phone and
-- procedure, folded (lower case, no marks, đ as d) by the desk when the row is written.
-- unicode61 with remove_diacritics 2 folds the marks of anything written by hand.
CREATE VIRTUAL TABLE dossier_search USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2');

-- Dossiers saved before this version: đ cannot be folded by the tokenizer, so it is here.
INSERT INTO dossier_search (rowid, text)
SELECT rowid, lower(replace(replace(coalesce(code, '') || ' ' || applicant_name || ' ' || procedure_code, 'đ', 'd'), 'Đ', 'd'))
FROM dossier;
