package dev.lifeboat.core.model;

/**
 * A Docker host Lifeboat backs up. {@code endpoint} is {@code unix:///var/run/docker.sock} for the local
 * engine or {@code ssh://user@host[:port]} for a server reached over SSH, with the path of the
 * {@code identityFile} (never the key) and the pinned {@code hostKey} fingerprint ({@code SHA256:...}).
 */
public record Host(String name, String endpoint, boolean production, String identityFile, String hostKey) {
    public Host {
        Names.requireName("host", name);
    }

    public Host(String name, String endpoint, boolean production) {
        this(name, endpoint, production, null, null);
    }

    public boolean ssh() {
        return endpoint.startsWith("ssh://");
    }
}
