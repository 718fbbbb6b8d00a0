-- The papers, the days they were featured on, and the harvest cursor. PostgreSQL's version of sqlite/0001: times are
-- timestamptz (the model's DateTime is UTC), days are date (DateOnly), flags boolean. Paper ids compare byte by byte
-- (COLLATE "C"), as in SQLite, so keyset pages over ids (string.Compare in Papers/, Ingest/, Votes/) agree with .NET's
-- ordinal order whatever the database's locale; every paper_id column has the same collation, so joins stay legal.
CREATE TABLE papers (
    id                         text COLLATE "C" NOT NULL PRIMARY KEY,
    version                    integer     NULL,
    title                      text        NOT NULL,
    summary                    text        NOT NULL DEFAULT '',
    authors_json               text        NOT NULL DEFAULT '[]',
    published_at               timestamptz NULL,
    updated_at                 timestamptz NULL,
    categories                 text        NULL,
    primary_category           text        NULL,
    comments                   text        NULL,
    journal_ref                text        NULL,
    doi                        text        NULL,
    license                    text        NULL,
    github_repo                text        NULL,
    github_stars               integer     NULL,
    github_repo_added_by       text        NULL,
    project_page               text        NULL,
    ai_summary                 text        NULL,
    ai_keywords_json           text        NULL,
    upvotes                    integer     NOT NULL DEFAULT 0,
    num_comments               integer     NOT NULL DEFAULT 0,
    discussion_id              text        NULL,
    submitted_on_daily_at      timestamptz NULL,
    submitted_on_daily_by_json text        NULL,
    organization_json          text        NULL,
    media_urls_json            text        NULL,
    snapshot_at                timestamptz NULL
);

CREATE TABLE daily_entries (
    date                    date             NOT NULL,
    paper_id                text COLLATE "C" NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    published_at            timestamptz      NULL,
    title                   text             NULL,
    thumbnail               text             NULL,
    submitted_by_json       text             NULL,
    organization_json       text             NULL,
    media_urls_json         text             NULL,
    is_author_participating boolean          NULL,
    position                integer          NOT NULL DEFAULT 0,
    PRIMARY KEY (date, paper_id)
);
CREATE INDEX ix_daily_entries_paper_id ON daily_entries (paper_id);

CREATE TABLE harvest_state (
    set_spec         text        NOT NULL PRIMARY KEY,
    last_datestamp   date        NULL,
    resumption_token text        NULL,
    token_from       date        NULL,
    updated_at       timestamptz NOT NULL
);
