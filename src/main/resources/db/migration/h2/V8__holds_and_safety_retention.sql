-- How long a stack's safety points (taken before restores) are kept; NULL means the default, 14 days.
ALTER TABLE stack_settings ADD COLUMN safety_retention_seconds BIGINT;

-- Points that prune must never delete until an admin releases them: marked suspicious by an alert (and
-- the last point before a suspicious one), or held by hand. A release is recorded, never deleted.
CREATE TABLE point_hold (
    point_id     VARCHAR(64) NOT NULL PRIMARY KEY,
    host         VARCHAR(64) NOT NULL,
    stack        VARCHAR(128) NOT NULL,
    reason       VARCHAR(2000) NOT NULL,
    held_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    held_by      VARCHAR(200) NOT NULL,
    released_at  TIMESTAMP WITH TIME ZONE,
    released_by  VARCHAR(200)
);
