-- Several instances on one database (issue 14). The same tables as sqlite/0013.
--
-- No data_version trigger on either table (postgres/0012 says a new table gets one; these are the exceptions, like
-- search_outbox): data_version tells the shared page cache that data a page shows has changed, and neither table is
-- read by any page. A trigger would empty every instance's cache whenever a job takes or gives back its lease, and
-- make lease writes queue on the data_version row behind the writers they do not concern.

-- The keys that sign cookies, forms and mail links (ASP.NET Data Protection), one XML element per key, named by the
-- key's file name as it was in {DataDir}/keys: every instance reads and signs with the same ring (Data/DatabaseKeys.cs).
CREATE TABLE data_protection_keys (
    name text NOT NULL PRIMARY KEY,
    xml  text NOT NULL
);

-- Which instance runs a scheduled job, until when (Data/JobLeases.cs): taken by one UPDATE when expired or already
-- held by the taker, renewed while the job runs, given back (expired) at its end.
CREATE TABLE job_leases (
    name       text        NOT NULL PRIMARY KEY,
    holder     text        NOT NULL,
    expires_at timestamptz NOT NULL
);
