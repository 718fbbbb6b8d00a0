-- Each instance's in-process vector index follows paper_vectors (Search/VectorFeed.cs): every vector written or
-- rewritten takes the next number of one counter, and an instance reads the rows numbered above what it has seen. SQLite
-- has one writer at a time, so numbers become visible in the order they were taken. (0014 is another branch's.)
CREATE TABLE vector_changes (
    one   INTEGER NOT NULL PRIMARY KEY CHECK (one = 1),
    value INTEGER NOT NULL
);
INSERT INTO vector_changes (one, value) VALUES (1, 0);

-- Vectors stored before this migration are read by every start's full load; 0 is never above a cursor.
ALTER TABLE paper_vectors ADD COLUMN change INTEGER NOT NULL DEFAULT 0;
CREATE INDEX paper_vectors_change ON paper_vectors (change);

-- Not the largest number in the table plus one: a re-embedded paper deletes its row first, and the largest number
-- could then be handed out again, equal to a cursor that has already passed it.
CREATE TRIGGER paper_vectors_change_insert AFTER INSERT ON paper_vectors BEGIN
    UPDATE vector_changes SET value = value + 1;
    UPDATE paper_vectors SET change = (SELECT value FROM vector_changes) WHERE paper_id = new.paper_id;
END;

CREATE TRIGGER paper_vectors_change_update AFTER UPDATE OF model, vector ON paper_vectors BEGIN
    UPDATE vector_changes SET value = value + 1;
    UPDATE paper_vectors SET change = (SELECT value FROM vector_changes) WHERE paper_id = new.paper_id;
END;
