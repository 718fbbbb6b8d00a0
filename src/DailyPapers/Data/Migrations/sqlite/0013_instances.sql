-- Several instances on one database (issue 14).

-- The keys that sign cookies, forms and mail links (ASP.NET Data Protection), one XML element per key, named by the
-- key's file name as it was in {DataDir}/keys: every instance reads and signs with the same ring (Data/DatabaseKeys.cs).
CREATE TABLE data_protection_keys (
    name TEXT NOT NULL PRIMARY KEY,
    xml  TEXT NOT NULL
);

-- Which instance runs a scheduled job, until when (Data/JobLeases.cs): taken by one UPDATE when expired or already
-- held by the taker, renewed while the job runs, given back (expired) at its end.
CREATE TABLE job_leases (
    name       TEXT NOT NULL PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
