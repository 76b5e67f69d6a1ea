-- What a restore replaced and kept on the host instead of backing it up first (ADR 25): where it is
-- (location: a volume or a container; item: a directory at the volume's root, or a database), until when
-- it is kept, and when it was released (by its retention, or by the admin).
CREATE TABLE safety_copy (
    id          VARCHAR(32)  NOT NULL PRIMARY KEY,
    host        VARCHAR(128) NOT NULL,
    stack       VARCHAR(128) NOT NULL,
    run_id      VARCHAR(64)  NOT NULL,
    point_id    VARCHAR(64)  NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    asset       VARCHAR(255) NOT NULL,
    location    VARCHAR(255) NOT NULL,
    item        VARCHAR(255) NOT NULL,
    image       VARCHAR(512),
    description VARCHAR(1024) NOT NULL,
    kept_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    released_at TIMESTAMP WITH TIME ZONE,
    released_by VARCHAR(128)
);
CREATE INDEX safety_copy_stack ON safety_copy (host, stack);
