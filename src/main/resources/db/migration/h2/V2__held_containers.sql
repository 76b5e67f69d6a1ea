-- Containers a backup stopped (lifeboat.stop-during-backup) and has not yet started again. A row left
-- behind means the run was killed; the next run on that host starts the container and removes the row.
CREATE TABLE held_container (
    host       VARCHAR(64) NOT NULL,
    container  VARCHAR(256) NOT NULL,
    run_id     VARCHAR(64),
    held_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (host, container)
);
