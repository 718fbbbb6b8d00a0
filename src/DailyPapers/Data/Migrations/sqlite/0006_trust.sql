-- Sessions as rows, the first admin decided by a key, and the imported counts named for what they are.

-- A signed-in browser's session. The cookie names its row; sign-out revokes it, "sign out everywhere" and a
-- password change revoke the others, suspension and reset revoke all. Rows (not cookie contents) decide, so a copied
-- cookie dies with its session, on every instance.
CREATE TABLE sessions (
    id              TEXT    NOT NULL PRIMARY KEY,   -- random, 128 bits
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      TEXT    NOT NULL,
    last_seen_at    TEXT    NOT NULL,               -- sliding expiry, updated at most hourly
    revoked_at      TEXT    NULL,
    user_agent      TEXT    NULL                    -- shown on /account so an owner can tell sessions apart
);
CREATE INDEX sessions_user ON sessions (user_id);

-- "The first account is the admin", decided by a primary key, not by counting: of any number of sign-ups at once on
-- an empty hub, exactly one inserts this row, on SQLite and PostgreSQL alike.
CREATE TABLE first_account (
    slot            INTEGER NOT NULL PRIMARY KEY CHECK (slot = 1),
    user_id         INTEGER NOT NULL
);
INSERT INTO first_account (slot, user_id) SELECT 1, MIN(id) FROM users HAVING COUNT(*) > 0;

-- Hugging Face's counts, kept apart from the votes and comments made here; the names make misuse stand out.
ALTER TABLE papers RENAME COLUMN upvotes TO imported_upvotes;
ALTER TABLE papers RENAME COLUMN num_comments TO imported_comments;

-- What moderators hid: few rows, found at once (search leaves them out of its results).
CREATE INDEX papers_hidden ON papers (hidden_at) WHERE hidden_at IS NOT NULL;
