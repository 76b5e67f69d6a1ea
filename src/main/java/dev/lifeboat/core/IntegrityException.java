package dev.lifeboat.core;

/** An artifact or manifest does not match its recorded checksum, or fails authenticated decryption. */
public class IntegrityException extends LifeboatException {
    public IntegrityException(String message) {
        super(message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
