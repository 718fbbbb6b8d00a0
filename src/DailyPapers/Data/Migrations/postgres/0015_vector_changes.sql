-- Each instance's in-process vector index follows paper_vectors (Search/VectorFeed.cs): every vector written or
-- rewritten takes the next number of a sequence, and an instance reads the rows numbered above what it has seen. The
-- same column as sqlite/0015, numbered by a sequence rather than a counter row: writers do not queue on it. A sequence
-- hands out numbers in the order they are asked for, not the order their transactions commit, so the reader re-reads
-- recent numbers for a while (VectorFeed.Grace). (0014 is another branch's.)
CREATE SEQUENCE paper_vector_changes;

-- Vectors stored before this migration are read by every start's full load; 0 is never above a cursor.
ALTER TABLE paper_vectors ADD COLUMN change bigint NOT NULL DEFAULT 0;
CREATE INDEX paper_vectors_change ON paper_vectors (change);

CREATE FUNCTION paper_vectors_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change := nextval('paper_vector_changes');
    RETURN NEW;
END $$;

CREATE TRIGGER paper_vectors_change BEFORE INSERT OR UPDATE OF model, vector ON paper_vectors
    FOR EACH ROW EXECUTE FUNCTION paper_vectors_change();
