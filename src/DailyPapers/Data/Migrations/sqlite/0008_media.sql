-- Media the hub serves itself (Media/): thumbnails rendered from PDFs, and copies of the images, avatars and videos the
-- imported data links to. The bytes are files under {DataDir}/media; a row says what each is and how fetching went.
CREATE TABLE media (
    "key"           TEXT    NOT NULL PRIMARY KEY,   -- SHA-256 hex of source_url, or thumbnail:{paper id}
    kind            TEXT    NOT NULL,               -- thumbnail | avatar | image | video
    source_url      TEXT    NOT NULL,
    content_type    TEXT    NULL,                   -- what the bytes are, as served: image/png, video/mp4…
    bytes           INTEGER NOT NULL DEFAULT 0,
    status          TEXT    NOT NULL,               -- stored | failed | too-large
    fetched_at      TEXT    NOT NULL,
    error           TEXT    NULL
);
