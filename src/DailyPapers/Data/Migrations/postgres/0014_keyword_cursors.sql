-- Several instances each keep their own keyword index (issue 14): search_outbox is no longer drained (each index keeps
-- its own cursor in its Lucene commit, Search/KeywordFeed.cs) but pruned by age, so each row carries when it was
-- written. clock_timestamp(), not now(): the time the row (and its id) was made, not when its transaction began, which
-- is what the feed's grace for id gaps measures. The same as sqlite/0014. No new table, so no data_version trigger.
ALTER TABLE search_outbox ADD COLUMN created_at timestamptz NOT NULL DEFAULT clock_timestamp();

-- The reindex marker held drained rows back while a new folder was built; nothing is drained now.
DROP TABLE search_reindex;
