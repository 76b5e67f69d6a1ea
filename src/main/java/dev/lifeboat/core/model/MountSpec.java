package dev.lifeboat.core.model;

/** One mount of a container: {@code type} is "volume", "bind" or "tmpfs". */
public record MountSpec(String type, String source, String target, boolean readOnly) {
    public boolean isVolume() {
        return "volume".equals(type);
    }
}
