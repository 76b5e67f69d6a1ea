package dev.lifeboat.core.asset;

/**
 * The live data a restore replaced, kept aside on the host instead of copied to a destination (ADR 25):
 * {@code kind} and {@code asset} as in the point, and where it is ({@code volume}, {@code path} a name at
 * the volume's root for volumes). Lifeboat removes it when its retention ends or the admin releases it.
 */
public record SafetyCopy(String kind, String asset, String volume, String path, String image) {
}
