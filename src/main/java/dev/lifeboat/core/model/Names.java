package dev.lifeboat.core.model;

import dev.lifeboat.core.LifeboatException;

import java.util.regex.Pattern;

/** Validates the names admins give hosts, stacks and destinations, which also become directory names. */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private Names() {
    }

    public static String requireName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new LifeboatException("Invalid " + what + " name '" + name
                    + "': use letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }
}
