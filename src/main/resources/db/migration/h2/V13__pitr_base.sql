-- Base backups of assets that ship their WAL (ADR 24), recorded with their point: where each one's WAL
-- starts and when it ended, so the coverage of restorable moments is known from the history alone.
CREATE TABLE pitr_base (
    point_id   VARCHAR(64)  NOT NULL,
    asset      VARCHAR(255) NOT NULL,
    host       VARCHAR(128) NOT NULL,
    stack      VARCHAR(128) NOT NULL,
    start_wal  VARCHAR(24)  NOT NULL,
    ended_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (point_id, asset)
);
