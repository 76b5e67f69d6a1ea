-- Alerts: one row per finding (deduplicated by key), with its state; deliveries per channel, retried.
CREATE TABLE alert (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    akey        VARCHAR(256) NOT NULL,
    kind        VARCHAR(32) NOT NULL,
    host        VARCHAR(64),
    stack       VARCHAR(128),
    title       VARCHAR(512) NOT NULL,
    message     VARCHAR(4000) NOT NULL,
    state       VARCHAR(16) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    resolved_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX alert_key ON alert(akey, state);

CREATE TABLE alert_channel (
    name      VARCHAR(64) PRIMARY KEY,
    kind      VARCHAR(16) NOT NULL,
    target    VARCHAR(2048) NOT NULL,
    options   VARCHAR(2048)
);

CREATE TABLE alert_delivery (
    alert_id   BIGINT NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
    channel    VARCHAR(64) NOT NULL,
    status     VARCHAR(16) NOT NULL,
    attempts   INT NOT NULL,
    last_error VARCHAR(2000),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (alert_id, channel)
);
