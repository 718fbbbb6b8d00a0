-- Keyword search is a Lucene index beside the database (issue 12): every change to a column the index holds writes a
-- work item to search_outbox inside the same transaction; the index applies items, commits, then deletes them by id
-- (Search/KeywordFeed.cs). The same triggers as sqlite/0012, in PL/pgSQL.
CREATE TABLE search_outbox (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paper_id text COLLATE "C" NOT NULL
);

CREATE FUNCTION search_outbox_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_outbox (paper_id) VALUES (OLD.id);
        RETURN OLD;
    END IF;
    INSERT INTO search_outbox (paper_id) VALUES (NEW.id);
    RETURN NEW;
END $$;

CREATE TRIGGER search_outbox_insert AFTER INSERT ON papers FOR EACH ROW EXECUTE FUNCTION search_outbox_note();

-- Only indexed columns, and only real changes: an upvote or a re-import of unchanged papers indexes nothing.
CREATE TRIGGER search_outbox_update AFTER UPDATE OF title, summary, author_names, categories, published_at, github_repo, hidden_at ON papers
    FOR EACH ROW
    WHEN (old.title IS DISTINCT FROM new.title OR old.summary IS DISTINCT FROM new.summary
       OR old.author_names IS DISTINCT FROM new.author_names OR old.categories IS DISTINCT FROM new.categories
       OR old.published_at IS DISTINCT FROM new.published_at OR old.github_repo IS DISTINCT FROM new.github_repo
       OR old.hidden_at IS DISTINCT FROM new.hidden_at)
    EXECUTE FUNCTION search_outbox_note();

CREATE TRIGGER search_outbox_delete AFTER DELETE ON papers FOR EACH ROW EXECUTE FUNCTION search_outbox_note();

-- While `reindex` reads the table into a new folder, applied items are kept so the new folder receives them too.
CREATE TABLE search_reindex (
    started_at timestamptz NOT NULL
);
