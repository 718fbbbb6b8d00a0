-- Fidelity to Hugging Face's API (issue 11). Fields Hugging Face sends that earlier imports dropped, kept as sent:
-- the model behind ai_summary, the withdrawal date, the models / datasets / Spaces citing a paper and their totals;
-- on a daily entry, the submitter's organisation and the 2024 lists' mediaUrl (the thumbnail's earlier name).
ALTER TABLE papers ADD COLUMN ai_summary_model TEXT NULL;
ALTER TABLE papers ADD COLUMN withdrawn_at TEXT NULL;
ALTER TABLE papers ADD COLUMN linked_models_json TEXT NULL;
ALTER TABLE papers ADD COLUMN linked_datasets_json TEXT NULL;
ALTER TABLE papers ADD COLUMN linked_spaces_json TEXT NULL;
ALTER TABLE papers ADD COLUMN num_total_models INTEGER NULL;
ALTER TABLE papers ADD COLUMN num_total_datasets INTEGER NULL;
ALTER TABLE papers ADD COLUMN num_total_spaces INTEGER NULL;
ALTER TABLE daily_entries ADD COLUMN submitter_organization_json TEXT NULL;
ALTER TABLE daily_entries ADD COLUMN media_url TEXT NULL;

-- submitter= on /api/daily_papers filters by the submitter's user name ("name" in submitted_by_json). The column
-- holds it so the filter is an index lookup rather than parsing every entry's JSON; DailyEntry keeps it in step.
ALTER TABLE daily_entries ADD COLUMN submitter TEXT NULL;
UPDATE daily_entries SET submitter = json_extract(submitted_by_json, '$.name')
    WHERE json_valid(submitted_by_json) AND json_type(submitted_by_json, '$.name') = 'text';
CREATE INDEX daily_entries_submitter ON daily_entries (submitter, date);
