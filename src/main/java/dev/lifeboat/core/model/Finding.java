package dev.lifeboat.core.model;

/**
 * Something an alert rule found. {@code key} deduplicates: the same key while still open is the same
 * alert. {@code lasting} findings (a missing backup, an overdue drill) resolve when no longer found.
 * {@code suspect} (may be null) names a point the finding makes suspicious: raising the alert holds it,
 * and the last point before it, against prune until an admin releases them.
 */
public record Finding(String key, String kind, String host, String stack, String title, String message, boolean lasting,
                      String suspect) {
    public Finding(String key, String kind, String host, String stack, String title, String message, boolean lasting) {
        this(key, kind, host, stack, title, message, lasting, null);
    }
}
