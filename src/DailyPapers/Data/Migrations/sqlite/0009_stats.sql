-- /stats groups every paper by upvotes, month of publication, categories and keywords. A paper's row is mostly its
-- abstract and author list (58 MB at 10k papers), so each of those scans read the whole table: 20-50 ms apiece,
-- seven of them a page. These covering indexes (about 1 MB at 10k papers) answer the same queries in a few ms.
-- hidden_at is in both because every reader-facing query filters on it (AppDb's "Hidden" filter).
CREATE INDEX papers_stats ON papers (published_at, hidden_at, imported_upvotes, local_upvotes, categories);
CREATE INDEX papers_keywords ON papers (published_at, hidden_at, ai_keywords_json) WHERE ai_keywords_json IS NOT NULL;
