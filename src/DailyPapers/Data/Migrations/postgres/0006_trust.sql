-- Sessions as rows, the first admin decided by a key, and the imported counts named for what they are (see sqlite/0006).
CREATE TABLE sessions (
    id              text        NOT NULL PRIMARY KEY,   -- random, 128 bits
    user_id         bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    revoked_at      timestamptz NULL,
    user_agent      text        NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE first_account (
    slot            integer NOT NULL PRIMARY KEY CHECK (slot = 1),
    user_id         bigint  NOT NULL
);
INSERT INTO first_account (slot, user_id) SELECT 1, MIN(id) FROM users HAVING COUNT(*) > 0;

ALTER TABLE papers RENAME COLUMN upvotes TO imported_upvotes;
ALTER TABLE papers RENAME COLUMN num_comments TO imported_comments;

CREATE INDEX papers_hidden ON papers (hidden_at) WHERE hidden_at IS NOT NULL;
