-- Per-stack recovery targets and restore-test settings.
CREATE TABLE stack_settings (
    host                VARCHAR(64) NOT NULL,
    stack               VARCHAR(128) NOT NULL,
    rto_seconds         BIGINT NOT NULL,
    rpo_seconds         BIGINT NOT NULL,
    row_tolerance_pct   DOUBLE PRECISION NOT NULL,
    table_tolerances    VARCHAR(4000),
    freshness           VARCHAR(4000),
    probe               VARCHAR(2000),
    drill_interval_days INT NOT NULL,
    PRIMARY KEY (host, stack)
);

-- Sandbox restore tests: the point, where it ran, and every check with its figures (JSON).
CREATE TABLE restore_test (
    run_id       VARCHAR(64) PRIMARY KEY REFERENCES run(id) ON DELETE CASCADE,
    point_id     VARCHAR(64) NOT NULL,
    host         VARCHAR(64) NOT NULL,
    stack        VARCHAR(128) NOT NULL,
    sandbox_host VARCHAR(64) NOT NULL,
    at           TIMESTAMP WITH TIME ZONE NOT NULL,
    duration_ms  BIGINT NOT NULL,
    ok           BOOLEAN NOT NULL,
    checks       CLOB NOT NULL
);
CREATE INDEX restore_test_stack ON restore_test(host, stack, at);

-- DR drills, run by Lifeboat (sandbox or in place) or recorded by hand: phases and checks as JSON.
CREATE TABLE drill (
    id             VARCHAR(64) PRIMARY KEY,
    host           VARCHAR(64) NOT NULL,
    stack          VARCHAR(128) NOT NULL,
    scenario       VARCHAR(32) NOT NULL,
    mode           VARCHAR(16) NOT NULL,
    actor          VARCHAR(128) NOT NULL,
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    point_id       VARCHAR(64),
    point_taken_at TIMESTAMP WITH TIME ZONE,
    rto_ms         BIGINT,
    rpo_ms         BIGINT,
    rto_target_ms  BIGINT NOT NULL,
    rpo_target_ms  BIGINT NOT NULL,
    ok             BOOLEAN NOT NULL,
    phases         CLOB NOT NULL,
    checks         CLOB NOT NULL,
    notes          VARCHAR(4000),
    next_due       DATE NOT NULL
);
CREATE INDEX drill_stack ON drill(host, stack, started_at);
