package dev.lifeboat.core;

/** A guarded operation was refused because the admin did not type the required phrase. */
public class ConfirmationRequiredException extends LifeboatException {
    public ConfirmationRequiredException(String message) {
        super(message);
    }
}
