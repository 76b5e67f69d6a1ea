package dev.lifeboat.core.asset;

/**
 * The live data a restore replaced, kept aside on the host instead of copied to a destination (ADR 25):
 * {@code kind} and {@code asset} as in the point; where it is, as the kind understands it ({@code location}
 * a volume or a container, {@code item} a directory at the volume's root or a database); the image helpers
 * on it run from (or null); and {@code description}, where it is in words. Lifeboat removes it when its
 * retention ends or the admin releases it.
 */
public record SafetyCopy(String kind, String asset, String location, String item, String image, String description) {
}
