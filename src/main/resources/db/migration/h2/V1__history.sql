CREATE TABLE host (
    name        VARCHAR(64) PRIMARY KEY,
    endpoint    VARCHAR(1024) NOT NULL,
    production  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE destination (
    name        VARCHAR(64) PRIMARY KEY,
    kind        VARCHAR(16) NOT NULL,
    location    VARCHAR(2048) NOT NULL,
    -- where the key file lives, never the key itself
    key_file    VARCHAR(2048) NOT NULL,
    key_id      VARCHAR(32) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE recovery_point (
    id              VARCHAR(64) NOT NULL,
    destination     VARCHAR(64) NOT NULL REFERENCES destination(name),
    host            VARCHAR(64) NOT NULL,
    stack           VARCHAR(128) NOT NULL,
    kind            VARCHAR(16) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    location        VARCHAR(2048) NOT NULL,
    stored_bytes    BIGINT NOT NULL,
    manifest_sha256 VARCHAR(64) NOT NULL,
    PRIMARY KEY (id, destination)
);
CREATE INDEX recovery_point_stack ON recovery_point(host, stack, created_at);

CREATE TABLE run (
    id          VARCHAR(64) PRIMARY KEY,
    kind        VARCHAR(16) NOT NULL,
    host        VARCHAR(64),
    stack       VARCHAR(128),
    point_id    VARCHAR(64),
    destination VARCHAR(64),
    actor       VARCHAR(128) NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    status      VARCHAR(16) NOT NULL,
    message     VARCHAR(4000)
);
CREATE INDEX run_started ON run(started_at);

CREATE TABLE run_step (
    run_id      VARCHAR(64) NOT NULL REFERENCES run(id) ON DELETE CASCADE,
    seq         INT NOT NULL,
    name        VARCHAR(256) NOT NULL,
    duration_ms BIGINT NOT NULL,
    bytes       BIGINT,
    status      VARCHAR(16) NOT NULL,
    detail      VARCHAR(4000),
    PRIMARY KEY (run_id, seq)
);

CREATE TABLE audit_event (
    id       BIGINT AUTO_INCREMENT PRIMARY KEY,
    at       TIMESTAMP WITH TIME ZONE NOT NULL,
    actor    VARCHAR(128) NOT NULL,
    action   VARCHAR(64) NOT NULL,
    target   VARCHAR(512),
    detail   VARCHAR(4000)
);
