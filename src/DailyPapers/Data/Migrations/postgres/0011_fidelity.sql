-- Fidelity to Hugging Face's API (issue 11; see sqlite/0011).
ALTER TABLE papers ADD COLUMN ai_summary_model text NULL;
ALTER TABLE papers ADD COLUMN withdrawn_at timestamptz NULL;
ALTER TABLE papers ADD COLUMN linked_models_json text NULL;
ALTER TABLE papers ADD COLUMN linked_datasets_json text NULL;
ALTER TABLE papers ADD COLUMN linked_spaces_json text NULL;
ALTER TABLE papers ADD COLUMN num_total_models integer NULL;
ALTER TABLE papers ADD COLUMN num_total_datasets integer NULL;
ALTER TABLE papers ADD COLUMN num_total_spaces integer NULL;
ALTER TABLE daily_entries ADD COLUMN submitter_organization_json text NULL;
ALTER TABLE daily_entries ADD COLUMN media_url text NULL;

-- submitter= on /api/daily_papers filters by the submitter's user name; DailyEntry keeps the column in step. No
-- backfill: no PostgreSQL database predates this migration (PostgreSQL support starts after 0012).
ALTER TABLE daily_entries ADD COLUMN submitter text NULL;
CREATE INDEX daily_entries_submitter ON daily_entries (submitter, date);
