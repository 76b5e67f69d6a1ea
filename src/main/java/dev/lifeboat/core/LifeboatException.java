package dev.lifeboat.core;

/**
 * The root of Lifeboat's own exception family. Its message is written for an admin: it says what
 * failed and, where possible, what to do about it. Library exceptions are wrapped as the cause.
 */
public class LifeboatException extends RuntimeException {
    public LifeboatException(String message) {
        super(message);
    }

    public LifeboatException(String message, Throwable cause) {
        super(message, cause);
    }
}
