package dev.lifeboat.core.asset;

import java.util.List;

/**
 * What a restore would change in one asset, read from the live stack without changing it: a title, a table
 * (for a database: each table's rows now and at the point; for a volume: each file added, removed or
 * changed), how many of its rows are changes, what it overwrites ({@code overwrites} of {@code noun}: 3
 * "database", 1 "volume") and what its rows count ({@code unit}: "table", "file"), and a one-line summary.
 */
public record PreviewSection(String asset, String kind, String title, List<String> head, List<List<String>> rows, int changes,
                             String summary, int overwrites, String noun, String unit) {
    public PreviewSection {
        head = List.copyOf(head);
        rows = rows.stream().map(List::copyOf).toList();
    }
}
