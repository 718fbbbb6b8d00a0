-- Authors' names as plain text, kept by the app from authors_json, and the sentence embeddings. SQLite's 0002 also
-- made an FTS5 index that 0012 dropped again for Lucene; PostgreSQL never had it, so only what outlived it is here.
ALTER TABLE papers ADD COLUMN author_names text NOT NULL DEFAULT '';

-- Sentence embeddings, one per paper and model; a changed title or abstract drops the stale vector so the
-- embedding job computes it again.
CREATE TABLE paper_vectors (
    paper_id text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
    model    text  NOT NULL,
    vector   bytea NOT NULL
);

CREATE FUNCTION paper_vectors_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM paper_vectors WHERE paper_id = NEW.id;
    RETURN NEW;
END $$;

CREATE TRIGGER paper_vectors_stale AFTER UPDATE OF title, summary ON papers
    FOR EACH ROW EXECUTE FUNCTION paper_vectors_stale();
