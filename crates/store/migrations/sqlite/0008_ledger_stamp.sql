-- The ledger's change stamp: one number that every insert, update or delete of a project moves
-- on, whatever code path or process writes it (the server, a command-line import). What is
-- summed over the ledger (the totals row of a filter) is kept against it and summed again
-- only once it has moved. SQLite has one writer at a time, so the one row is no contention;
-- on PostgreSQL, where it would be, the totals are summed every time instead.

CREATE TABLE ledger_stamp (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   INTEGER NOT NULL
);
INSERT INTO ledger_stamp (id, n) VALUES (1, 0);

CREATE TRIGGER ledger_stamp_on_insert AFTER INSERT ON projects
BEGIN
    UPDATE ledger_stamp SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ledger_stamp_on_update AFTER UPDATE ON projects
BEGIN
    UPDATE ledger_stamp SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ledger_stamp_on_delete AFTER DELETE ON projects
BEGIN
    UPDATE ledger_stamp SET n = n + 1 WHERE id = 1;
END;
