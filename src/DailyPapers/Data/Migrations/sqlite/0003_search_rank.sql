-- Rank by the same weighted BM25 through FTS5's own rank column: "ORDER BY rank LIMIT n" is about 40% faster than
-- calling bm25() per row from a join (title 4, abstract 1, authors 2, categories 0.5).
INSERT INTO papers_fts (papers_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0, 2.0, 0.5)');
