-- The process that owns a run: only runs whose process is gone are marked interrupted, so a CLI
-- command never disowns a run of the agent that is still going.
ALTER TABLE run ADD COLUMN pid BIGINT;

-- Backup plans: a stack, where its points go, retention, targets, and the cron schedules of its jobs.
CREATE TABLE plan (
    name          VARCHAR(64) PRIMARY KEY,
    host          VARCHAR(64) NOT NULL,
    stack         VARCHAR(128) NOT NULL,
    destination   VARCHAR(64) NOT NULL,
    copies        VARCHAR(1024),
    keep_hourly   INT NOT NULL,
    keep_daily    INT NOT NULL,
    keep_weekly   INT NOT NULL,
    keep_monthly  INT NOT NULL,
    keep_yearly   INT NOT NULL,
    backup_cron   VARCHAR(128),
    verify_cron   VARCHAR(128),
    restore_test  BOOLEAN NOT NULL,
    prune_cron    VARCHAR(128),
    zone          VARCHAR(64) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The last schedule slot each plan's job has been run for: after downtime a missed slot runs once.
CREATE TABLE schedule_state (
    plan      VARCHAR(64) NOT NULL,
    job       VARCHAR(16) NOT NULL,
    last_slot TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (plan, job)
);

-- One backup (or restore) per stack at a time, across processes.
CREATE TABLE stack_lock (
    host      VARCHAR(64) NOT NULL,
    stack     VARCHAR(128) NOT NULL,
    owner     VARCHAR(64) NOT NULL,
    pid       BIGINT NOT NULL,
    since     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (host, stack)
);
