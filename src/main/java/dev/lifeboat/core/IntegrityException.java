package dev.lifeboat.core;

/** An artifact or manifest does not match its recorded checksum, or fails authenticated decryption. */
public class IntegrityException extends LifeboatException {
    public IntegrityException(String message) {
        super(message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The integrity failure in {@code e}'s cause chain (however an upload or exec wrapped it), or null. */
    public static IntegrityException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IntegrityException bad) {
                return bad;
            }
        }
        return null;
    }
}
