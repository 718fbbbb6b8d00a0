-- Media the hub serves itself (see sqlite/0008). The bytes are files under {DataDir}/media.
CREATE TABLE media (
    "key"           text        NOT NULL PRIMARY KEY,
    kind            text        NOT NULL,               -- thumbnail | avatar | image | video
    source_url      text        NOT NULL,
    content_type    text        NULL,
    bytes           bigint      NOT NULL DEFAULT 0,
    status          text        NOT NULL,               -- stored | failed | too-large
    fetched_at      timestamptz NOT NULL,
    error           text        NULL
);
