-- The assets a plan backs up (comma-separated asset names); NULL means every discovered asset.
ALTER TABLE plan ADD COLUMN assets VARCHAR(2048);
