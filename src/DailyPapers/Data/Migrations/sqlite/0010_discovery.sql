-- Author, organisation and category pages scan one short column of every paper (author_names LIKE …, the
-- organisation's name, instr on categories). In the table each row also carries its abstract and JSON (2.4 KB on
-- average), so a scan reads the whole file (58 MB at 10,000 papers); these covering indexes hold only what those
-- scans read, with the columns a page of them is sorted by. Measured in the README (Discovery).
CREATE INDEX papers_author_names ON papers (author_names, hidden_at, published_at, id);
CREATE INDEX papers_categories ON papers (categories, hidden_at, published_at, id);
CREATE INDEX papers_organization ON papers (organization_json, id);
