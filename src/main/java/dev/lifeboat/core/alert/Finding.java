package dev.lifeboat.core.alert;

/**
 * Something an alert rule found. {@code key} deduplicates: the same key while still open is the same
 * alert. {@code lasting} findings (a missing backup, an overdue drill) resolve when no longer found.
 */
public record Finding(String key, String kind, String host, String stack, String title, String message, boolean lasting) {
}
