-- Several instances each keep their own keyword index (issue 14): search_outbox is no longer drained (each index keeps
-- its own cursor in its Lucene commit, Search/KeywordFeed.cs) but pruned by age, so each row carries when it was
-- written. SQLite cannot add a column with a non-constant default: the table is made again (rows, ids and the
-- AUTOINCREMENT counter kept), with the triggers of 0012 around it. The same as postgres/0014.
DROP TRIGGER search_outbox_insert;
DROP TRIGGER search_outbox_update;
DROP TRIGGER search_outbox_delete;
ALTER TABLE search_outbox RENAME TO search_outbox_old;

CREATE TABLE search_outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_id   TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
INSERT INTO search_outbox (id, paper_id) SELECT id, paper_id FROM search_outbox_old;
DELETE FROM sqlite_sequence WHERE name = 'search_outbox';
UPDATE sqlite_sequence SET name = 'search_outbox' WHERE name = 'search_outbox_old';
DROP TABLE search_outbox_old;

CREATE TRIGGER search_outbox_insert AFTER INSERT ON papers BEGIN
    INSERT INTO search_outbox (paper_id) VALUES (new.id);
END;

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

-- The reindex marker held drained rows back while a new folder was built; nothing is drained now.
DROP TABLE search_reindex;
