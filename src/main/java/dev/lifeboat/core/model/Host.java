package dev.lifeboat.core.model;

/**
 * A Docker host Lifeboat backs up. {@code endpoint} is a Docker endpoint URI; today
 * {@code unix:///var/run/docker.sock}, later {@code ssh://user@host:port}.
 */
public record Host(String name, String endpoint, boolean production) {
    public Host {
        Names.requireName("host", name);
    }
}
