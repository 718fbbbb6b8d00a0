-- Accounts, API tokens, upvotes, comments and the stored trending score.
CREATE TABLE users (
    id              INTEGER NOT NULL PRIMARY KEY,
    email           TEXT    NOT NULL UNIQUE,        -- lower-cased
    name            TEXT    NOT NULL,
    password_hash   TEXT    NOT NULL,
    role            TEXT    NOT NULL,               -- admin | moderator | member
    email_confirmed INTEGER NOT NULL DEFAULT 0,
    security_stamp  TEXT    NOT NULL,               -- changes with the password: old reset links and sessions die
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT    NULL,
    suspended_at    TEXT    NULL,
    created_at      TEXT    NOT NULL
);

-- Personal API tokens: only a SHA-256 of the secret is stored; the prefix lets a user tell them apart.
CREATE TABLE api_tokens (
    id              INTEGER NOT NULL PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    prefix          TEXT    NOT NULL,
    hash            TEXT    NOT NULL UNIQUE,
    created_at      TEXT    NOT NULL,
    last_used_at    TEXT    NULL,
    revoked_at      TEXT    NULL
);

-- One upvote per account and paper: the primary key is what makes counts exact under concurrency.
CREATE TABLE votes (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    paper_id        TEXT    NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (user_id, paper_id)
);
CREATE INDEX votes_paper ON votes (paper_id);

CREATE TABLE comments (
    id              INTEGER NOT NULL PRIMARY KEY,
    paper_id        TEXT    NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    parent_id       INTEGER NULL REFERENCES comments (id),
    body            TEXT    NOT NULL,               -- Markdown as written
    html            TEXT    NOT NULL,               -- rendered and sanitised once, at write time
    created_at      TEXT    NOT NULL,
    edited_at       TEXT    NULL,
    deleted_at      TEXT    NULL,
    hidden_at       TEXT    NULL,
    hidden_by       INTEGER NULL REFERENCES users (id)
);
CREATE INDEX comments_paper ON comments (paper_id, created_at);

-- Votes and comments cast here, kept apart from the counts imported from Hugging Face (which only grow by merge).
ALTER TABLE papers ADD COLUMN local_upvotes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE papers ADD COLUMN local_comments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE papers ADD COLUMN trending REAL NOT NULL DEFAULT 0;
ALTER TABLE papers ADD COLUMN trending_at TEXT NULL;
CREATE INDEX papers_trending ON papers (trending DESC);

-- Papers submitted to a day's list by an account: at most once a day per paper (the key), a daily cap per account.
CREATE TABLE submissions (
    paper_id        TEXT    NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    date            TEXT    NOT NULL,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    comment_id      INTEGER NULL REFERENCES comments (id),
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (paper_id, date)
);
CREATE INDEX submissions_user ON submissions (user_id, date);

-- Bookmarks: named lists of papers, private unless made public.
CREATE TABLE collections (
    id              INTEGER NOT NULL PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    is_public       INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL
);
CREATE INDEX collections_user ON collections (user_id);

CREATE TABLE collection_items (
    collection_id   INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    paper_id        TEXT    NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    added_at        TEXT    NOT NULL,
    PRIMARY KEY (collection_id, paper_id)
);

-- What an account follows: authors, arXiv categories, keywords. They rank the "For you" page.
CREATE TABLE follows (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,               -- author | category | keyword
    value           TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (user_id, kind, value)
);

-- "I am an author of this paper": pending until an admin decides; approved authors show as verified.
CREATE TABLE author_claims (
    id              INTEGER NOT NULL PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    paper_id        TEXT    NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    author_name     TEXT    NOT NULL,
    status          TEXT    NOT NULL,               -- pending | approved | rejected
    created_at      TEXT    NOT NULL,
    decided_by      INTEGER NULL REFERENCES users (id),
    decided_at      TEXT    NULL,
    UNIQUE (user_id, paper_id)
);
CREATE INDEX author_claims_status ON author_claims (status);

-- Moderation: a hidden paper leaves every list, search and feed; reports wait for a moderator.
ALTER TABLE papers ADD COLUMN hidden_at TEXT NULL;

CREATE TABLE reports (
    id              INTEGER NOT NULL PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,               -- paper | comment
    target          TEXT    NOT NULL,               -- the paper id or the comment id
    reason          TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    closed_by       INTEGER NULL REFERENCES users (id),
    closed_at       TEXT    NULL
);
CREATE INDEX reports_open ON reports (closed_at);
