package dev.lifeboat.core;

/** A guarded operation was refused because the admin did not type the required phrase (or confirm a restart). */
public class ConfirmationRequiredException extends LifeboatException {
    private final String reason;

    public ConfirmationRequiredException(String message) {
        this(message, message);
    }

    /** {@code reason}: what needs confirming, without the command-line advice {@code message} adds to it. */
    public ConfirmationRequiredException(String message, String reason) {
        super(message);
        this.reason = reason;
    }

    /** What needs confirming, in words for any front end (the console asks in a dialog). */
    public String reason() {
        return reason;
    }
}
