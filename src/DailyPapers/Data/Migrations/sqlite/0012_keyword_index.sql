-- Keyword search moves from FTS5 to a Lucene index beside the database (issue 12). The FTS5 table and its triggers
-- go; in their place every change to a column the index holds writes a work item to search_outbox inside the same
-- transaction. The index applies items, commits, then deletes them by id (Search/KeywordFeed.cs).
DROP TRIGGER IF EXISTS papers_fts_insert;
DROP TRIGGER IF EXISTS papers_fts_before_update;
DROP TRIGGER IF EXISTS papers_fts_after_update;
DROP TRIGGER IF EXISTS papers_fts_delete;
DROP TABLE IF EXISTS papers_fts;
DROP VIEW IF EXISTS papers_search_source;

CREATE TABLE search_outbox (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_id TEXT NOT NULL
);

CREATE TRIGGER search_outbox_insert AFTER INSERT ON papers BEGIN
    INSERT INTO search_outbox (paper_id) VALUES (new.id);
END;

-- Only indexed columns, and only real changes: an upvote or a re-import of unchanged papers indexes nothing.
CREATE TRIGGER search_outbox_update AFTER UPDATE OF title, summary, author_names, categories, published_at, github_repo, hidden_at ON papers
WHEN old.title IS NOT new.title OR old.summary IS NOT new.summary OR old.author_names IS NOT new.author_names
  OR old.categories IS NOT new.categories OR old.published_at IS NOT new.published_at
  OR old.github_repo IS NOT new.github_repo OR old.hidden_at IS NOT new.hidden_at
BEGIN
    INSERT INTO search_outbox (paper_id) VALUES (new.id);
END;

CREATE TRIGGER search_outbox_delete AFTER DELETE ON papers BEGIN
    INSERT INTO search_outbox (paper_id) VALUES (old.id);
END;

-- While `reindex` reads the table into a new folder, applied items are kept so the new folder receives them too.
CREATE TABLE search_reindex (
    started_at TEXT NOT NULL
);
