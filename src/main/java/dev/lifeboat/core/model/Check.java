package dev.lifeboat.core.model;

/** One content check of a restore test or drill: what was checked, whether it passed, and the figures. */
public record Check(String name, boolean ok, String detail) {
    public static Check pass(String name, String detail) {
        return new Check(name, true, detail);
    }

    public static Check fail(String name, String detail) {
        return new Check(name, false, detail);
    }
}
