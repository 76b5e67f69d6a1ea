package dev.lifeboat.core.history;

import java.time.Instant;

/** A stack's lock as the history holds it: who, which process, on which machine, since when. */
public record StackLock(String owner, long pid, String machine, Instant since) {
}
