package dev.lifeboat.core.history;

import java.time.Duration;

/** A successful restore: the stored size of the point it restored and how long it took. */
public record PastRestore(long storedBytes, Duration took) {
}
