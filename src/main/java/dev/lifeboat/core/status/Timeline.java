package dev.lifeboat.core.status;

import java.time.Instant;
import java.util.List;

/**
 * A stack's timeline between {@code from} and {@code to}: its entries, the gaps between successful
 * points longer than the RPO, markers for drills and restores, and for each PostgreSQL asset that ships
 * its WAL the moments it can be restored to ({@code wal}).
 */
public record Timeline(String host, String stack, Instant from, Instant to, List<TimelineEntry> entries, List<Gap> gaps,
                       List<Marker> markers, List<dev.lifeboat.core.pitr.Coverage> wal) {

    /** A stretch with no successful point for longer than the RPO. */
    public record Gap(Instant from, Instant to) {
    }

    /** A drill or restore at a moment. */
    public record Marker(Instant at, String kind, boolean ok, String detail) {
    }
}
