package dev.lifeboat.core;

/** A run was not started because another one holds the stack (one backup per stack at a time). */
public class StackBusyException extends LifeboatException {
    public StackBusyException(String message) {
        super(message);
    }
}
