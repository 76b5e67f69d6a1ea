package dev.lifeboat.core.model;

import java.util.Map;

/**
 * A named Docker volume of a stack: driver, labels and the driver's options (an NFS export, a bind
 * device), so a restored volume is the same kind of storage, not a plain local one. {@code options} is
 * null in points written before it was recorded.
 */
public record VolumeSpec(String name, String driver, Map<String, String> labels, Map<String, String> options) {
    public VolumeSpec(String name, String driver, Map<String, String> labels) {
        this(name, driver, labels, null);
    }
}
