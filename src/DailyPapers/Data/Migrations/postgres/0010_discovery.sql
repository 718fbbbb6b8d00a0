-- SQLite's 0010 adds covering indexes of author_names, categories and organization_json for LIKE scans. Not here:
-- author_names of a large collaboration passes PostgreSQL's 2.7 KB B-tree entry limit (an insert would fail), a
-- B-tree does not serve LIKE '%…%' anyway, and TOAST keeps abstracts out of the heap those scans read. A pg_trgm GIN
-- index is the PostgreSQL answer once measured. Kept so both engines list the same migrations.
SELECT 1;
