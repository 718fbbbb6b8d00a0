-- Digest subscriptions and the durable outbox of mail.
-- An address subscribes once (lower-cased); preferences asked for wait in pending_* until the link in the
-- confirmation mail is followed, so nobody can change another person's digest by typing their address.
CREATE TABLE subscriptions (
    id                  INTEGER NOT NULL PRIMARY KEY,
    email               TEXT    NOT NULL UNIQUE,
    status              TEXT    NOT NULL,          -- pending | confirmed | unsubscribed
    cadence             TEXT    NOT NULL,          -- weekdays | daily | weekly
    topics_json         TEXT    NOT NULL DEFAULT '{}',
    topic_vector        BLOB    NULL,              -- the embedded topic query, computed once, not per digest
    count               INTEGER NOT NULL,
    pending_json        TEXT    NULL,              -- requested preferences awaiting confirmation
    confirm_nonce       TEXT    NULL,              -- matches the one live confirmation link
    created_at          TEXT    NOT NULL,
    confirmed_at        TEXT    NULL,
    unsubscribed_at     TEXT    NULL,
    failure             TEXT    NULL,              -- the last permanent delivery failure, for admins
    failed_at           TEXT    NULL
);

-- One row per mail to send. key is the idempotency key: digest:SUBSCRIPTION:PERIOD or
-- confirm:SUBSCRIPTION:NONCE; composing twice inserts nothing new. The digest's content is the list of
-- paper ids chosen at compose time; the message is rendered from it, the same way on every attempt.
CREATE TABLE outbox (
    id                  INTEGER NOT NULL PRIMARY KEY,
    key                 TEXT    NOT NULL UNIQUE,
    kind                TEXT    NOT NULL,          -- confirm | digest | account mails (verify, reset, account-exists)
    subscription_id     INTEGER NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    user_id             INTEGER NULL,              -- account mails: the account the link is for
    recipient           TEXT    NOT NULL,
    period              TEXT    NULL,              -- date=2026-08-21 or week=2026-W34
    paper_ids_json      TEXT    NOT NULL DEFAULT '[]',
    matched             INTEGER NOT NULL DEFAULT 0, -- how many of the papers matched the subscriber's topics
    picks               INTEGER NOT NULL DEFAULT 0, -- then how many were personal picks (subscribers with an account)
    status              TEXT    NOT NULL,          -- pending | sending | sent | failed
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TEXT    NOT NULL,
    claimed_at          TEXT    NULL,
    created_at          TEXT    NOT NULL,
    sent_at             TEXT    NULL,
    last_error          TEXT    NULL
);

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_subscription ON outbox (subscription_id);

-- A cadence's period composed to the end; the scheduler does not compose it again.
CREATE TABLE digest_runs (
    cadence             TEXT    NOT NULL,
    period              TEXT    NOT NULL,
    composed_at         TEXT    NOT NULL,
    messages            INTEGER NOT NULL,
    PRIMARY KEY (cadence, period)
);
