-- SQLite's 0003 set the rank of its FTS5 index, which PostgreSQL never had (keyword search is Lucene, issue 12).
-- Kept so both engines list the same migrations.
SELECT 1;
