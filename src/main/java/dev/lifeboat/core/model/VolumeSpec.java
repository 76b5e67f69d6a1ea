package dev.lifeboat.core.model;

import java.util.Map;

/** A named Docker volume of a stack. */
public record VolumeSpec(String name, String driver, Map<String, String> labels) {
}
