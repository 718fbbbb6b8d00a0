-- The papers, the days they were featured on, and the harvest cursor.
CREATE TABLE papers (
    id                         TEXT    NOT NULL PRIMARY KEY,
    version                    INTEGER NULL,
    title                      TEXT    NOT NULL,
    summary                    TEXT    NOT NULL DEFAULT '',
    authors_json               TEXT    NOT NULL DEFAULT '[]',
    published_at               TEXT    NULL,
    updated_at                 TEXT    NULL,
    categories                 TEXT    NULL,
    primary_category           TEXT    NULL,
    comments                   TEXT    NULL,
    journal_ref                TEXT    NULL,
    doi                        TEXT    NULL,
    license                    TEXT    NULL,
    github_repo                TEXT    NULL,
    github_stars               INTEGER NULL,
    github_repo_added_by       TEXT    NULL,
    project_page               TEXT    NULL,
    ai_summary                 TEXT    NULL,
    ai_keywords_json           TEXT    NULL,
    upvotes                    INTEGER NOT NULL DEFAULT 0,
    num_comments               INTEGER NOT NULL DEFAULT 0,
    discussion_id              TEXT    NULL,
    submitted_on_daily_at      TEXT    NULL,
    submitted_on_daily_by_json TEXT    NULL,
    organization_json          TEXT    NULL,
    media_urls_json            TEXT    NULL,
    snapshot_at                TEXT    NULL
);

CREATE TABLE daily_entries (
    date                    TEXT    NOT NULL,
    paper_id                TEXT    NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    published_at            TEXT    NULL,
    title                   TEXT    NULL,
    thumbnail               TEXT    NULL,
    submitted_by_json       TEXT    NULL,
    organization_json       TEXT    NULL,
    media_urls_json         TEXT    NULL,
    is_author_participating INTEGER NULL,
    position                INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (date, paper_id)
);
CREATE INDEX ix_daily_entries_paper_id ON daily_entries (paper_id);

CREATE TABLE harvest_state (
    set_spec         TEXT NOT NULL PRIMARY KEY,
    last_datestamp   TEXT NULL,
    resumption_token TEXT NULL,
    token_from       TEXT NULL,
    updated_at       TEXT NOT NULL
);
