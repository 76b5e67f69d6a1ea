package dev.lifeboat.core;

/** A host, its Docker engine or a command run on it failed. */
public class HostException extends LifeboatException {
    public HostException(String message) {
        super(message);
    }

    public HostException(String message, Throwable cause) {
        super(message, cause);
    }
}
