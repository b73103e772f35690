-- The catalogue (procedures) and the working calendar as the desk uses them: the copy shipped
-- with the program, or a newer one imported (later: pulled from the hub). One row each.
CREATE TABLE catalogue (
    name     TEXT PRIMARY KEY NOT NULL,   -- 'procedures' or 'calendar'
    version  TEXT NOT NULL,               -- the file's own "version" (an ISO date)
    json     TEXT NOT NULL                -- the whole file, as imported
) STRICT;
