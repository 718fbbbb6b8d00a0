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

-- PostgreSQL has no PRAGMA data_version, which the shared cache reads to see that anything changed (Web/SharedCache.cs):
-- one row, bumped inside the writing transaction by a trigger on every table, so the number moves exactly when a write
-- becomes visible, whichever instance made it. Row triggers, so a statement that changes nothing moves nothing (as in
-- SQLite); once per transaction (the setting is local to it), so an import of 10,000 rows updates the row once. The
-- cost: writers queue on the row until they commit, as the SQLite hub (one writer at a time) always did. A table added
-- by a later migration gets the trigger too.
CREATE TABLE data_version (
    one   integer NOT NULL PRIMARY KEY DEFAULT 1 CHECK (one = 1),
    value bigint  NOT NULL
);
INSERT INTO data_version (value) VALUES (0);

CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('dailypapers.data_version_bumped', true) IS DISTINCT FROM txid_current()::text THEN
        UPDATE data_version SET value = value + 1;
        PERFORM set_config('dailypapers.data_version_bumped', txid_current()::text, true);
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
             AND tablename NOT IN ('data_version', 'schema_migrations', 'search_outbox', 'search_reindex') LOOP
        EXECUTE format('CREATE TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION data_version_bump()', t);
    END LOOP;
END $$;
