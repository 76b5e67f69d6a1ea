-- WAL shipping lag (ADR 24): the lag above which an alert fires, since when WAL waits unshipped (null: all
-- shipped), and when a shipping pass last looked.
ALTER TABLE pitr ADD COLUMN alert_lag_seconds INT DEFAULT 120 NOT NULL;
ALTER TABLE pitr ADD COLUMN pending_since TIMESTAMP WITH TIME ZONE;
ALTER TABLE pitr ADD COLUMN checked_at TIMESTAMP WITH TIME ZONE;
