package dev.lifeboat.core.model;

/**
 * A Docker host Lifeboat backs up. {@code endpoint} is {@code unix:///var/run/docker.sock} for the local
 * engine or {@code ssh://user@host[:port]} for a server reached over SSH, with the path of the
 * {@code identityFile} (never the key) and the pinned {@code hostKey} fingerprint ({@code SHA256:...}).
 */
public record Host(String name, String endpoint, boolean production, String identityFile, String hostKey) {
    /** Where Lifeboat files its own self-backups at a destination; reserved, so no Docker host's points mix with them. */
    public static final String SELF = "lifeboat.self";

    public Host {
        Names.requireName("host", name);
        if (SELF.equalsIgnoreCase(name)) {
            throw new dev.lifeboat.core.LifeboatException("The host name " + SELF + " is reserved for Lifeboat's own"
                    + " self-backups; choose another");
        }
    }

    public Host(String name, String endpoint, boolean production) {
        this(name, endpoint, production, null, null);
    }

    public boolean ssh() {
        return endpoint.startsWith("ssh://");
    }
}
