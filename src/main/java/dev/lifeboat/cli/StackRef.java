package dev.lifeboat.cli;

import dev.lifeboat.core.LifeboatException;

/** A HOST/STACK argument. */
record StackRef(String host, String stack) {
    static StackRef parse(String s) {
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1 || s.indexOf('/', slash + 1) >= 0) {
            throw new LifeboatException("Expected HOST/STACK, got '" + s + "'");
        }
        return new StackRef(s.substring(0, slash), s.substring(slash + 1));
    }
}
