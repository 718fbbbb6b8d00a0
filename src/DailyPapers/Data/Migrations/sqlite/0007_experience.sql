-- Notifications: replies to your comments, decisions on your authorship claims, new papers from what you follow.
CREATE TABLE notifications (
    id              INTEGER NOT NULL PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,               -- reply | claim | follows
    text            TEXT    NOT NULL,
    link            TEXT    NOT NULL,               -- a local path to what it is about
    created_at      TEXT    NOT NULL,
    read_at         TEXT    NULL
);
CREATE INDEX notifications_user ON notifications (user_id, read_at);

ALTER TABLE users ADD COLUMN notify_by_mail INTEGER NOT NULL DEFAULT 0;
-- The last featured day the follows notification has looked at, per account.
ALTER TABLE users ADD COLUMN follows_seen_until TEXT NULL;
