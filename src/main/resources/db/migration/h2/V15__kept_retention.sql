-- How long what a restore replaced stays on the host (ADR 25), per stack; NULL: the default, 7 days.
ALTER TABLE stack_settings ADD COLUMN kept_retention_seconds BIGINT;
