-- /stats groups every paper by upvotes and month. SQLite's covering indexes also hold categories and
-- ai_keywords_json; a B-tree entry in PostgreSQL is limited to about 2.7 KB, which a long keyword list can pass, and
-- TOAST already keeps long values out of the scanned heap. So only the short columns are indexed here.
CREATE INDEX papers_stats ON papers (published_at, hidden_at, imported_upvotes, local_upvotes);
