-- Point-in-time recovery (ADR 24): which PostgreSQL assets ship their WAL, where, and every file shipped.
CREATE TABLE pitr (
    host        VARCHAR(128) NOT NULL,
    stack       VARCHAR(128) NOT NULL,
    asset       VARCHAR(255) NOT NULL,
    destination VARCHAR(128) NOT NULL,
    slot        VARCHAR(63)  NOT NULL,
    switch_seconds INT       NOT NULL,
    enabled_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    enabled_by  VARCHAR(128),
    PRIMARY KEY (host, stack, asset)
);

CREATE TABLE wal_file (
    host           VARCHAR(128) NOT NULL,
    stack          VARCHAR(128) NOT NULL,
    asset          VARCHAR(255) NOT NULL,
    destination    VARCHAR(128) NOT NULL,
    name           VARCHAR(64)  NOT NULL,
    plain_bytes    BIGINT       NOT NULL,
    stored_bytes   BIGINT       NOT NULL,
    plain_sha256   VARCHAR(64)  NOT NULL,
    stored_sha256  VARCHAR(64)  NOT NULL,
    shipped_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (host, stack, asset, destination, name)
);
