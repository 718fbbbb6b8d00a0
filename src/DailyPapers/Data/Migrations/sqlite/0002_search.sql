-- Keyword search: an FTS5 index over a view of the papers, kept in step by triggers inside the writing transaction,
-- so the index can never drift from the data. Porter stemming, diacritics folded.
-- Authors' names as plain text, kept by the app from authors_json. (FTS5 cannot read a view that calls
-- json_each on this SQLite, and plain text is cheaper to index anyway.)
ALTER TABLE papers ADD COLUMN author_names TEXT NOT NULL DEFAULT '';
UPDATE papers SET author_names = coalesce((SELECT group_concat(json_extract(value, '$.name'), ', ') FROM json_each(authors_json)
                                           WHERE coalesce(json_extract(value, '$.hidden'), 0) = 0), '');

CREATE VIEW papers_search_source AS
SELECT rowid AS rowid, title, summary, author_names AS authors, categories FROM papers;

CREATE VIRTUAL TABLE papers_fts USING fts5(
    title, summary, authors, categories,
    content = 'papers_search_source', content_rowid = 'rowid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
    INSERT INTO papers_fts (rowid, title, summary, authors, categories)
    SELECT rowid, title, summary, authors, categories FROM papers_search_source WHERE rowid = new.rowid;
END;

-- Only the indexed columns: an upvote must not re-index the paper.
CREATE TRIGGER papers_fts_before_update BEFORE UPDATE OF title, summary, author_names, categories ON papers BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, summary, authors, categories)
    SELECT 'delete', rowid, title, summary, authors, categories FROM papers_search_source WHERE rowid = old.rowid;
END;

CREATE TRIGGER papers_fts_after_update AFTER UPDATE OF title, summary, author_names, categories ON papers BEGIN
    INSERT INTO papers_fts (rowid, title, summary, authors, categories)
    SELECT rowid, title, summary, authors, categories FROM papers_search_source WHERE rowid = new.rowid;
END;

CREATE TRIGGER papers_fts_delete BEFORE DELETE ON papers BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, summary, authors, categories)
    SELECT 'delete', rowid, title, summary, authors, categories FROM papers_search_source WHERE rowid = old.rowid;
END;

INSERT INTO papers_fts (papers_fts) VALUES ('rebuild');

-- Sentence embeddings, one per paper and model; a changed title or abstract drops the stale vector so the
-- embedding job computes it again.
CREATE TABLE paper_vectors (
    paper_id TEXT NOT NULL PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
    model    TEXT NOT NULL,
    vector   BLOB NOT NULL
);

CREATE TRIGGER paper_vectors_stale AFTER UPDATE OF title, summary ON papers BEGIN
    DELETE FROM paper_vectors WHERE paper_id = new.id;
END;
