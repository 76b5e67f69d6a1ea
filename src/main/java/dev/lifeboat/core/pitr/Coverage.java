package dev.lifeboat.core.pitr;

import dev.lifeboat.core.history.PitrRepository;
import dev.lifeboat.core.history.WalFile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The moments an asset can be restored to (ADR 24): a moment is reachable when a base backup ended before
 * it and the shipped WAL runs without a gap from that base backup's first segment to the moment. The WAL
 * is cut into runs of consecutive segments; a run that holds the start of a base backup covers from the
 * earliest such base backup's end to the moment its last segment was shipped (the newest transaction in it
 * is at most that old). Between the spans are the gaps: a missing segment, or WAL with no base backup to
 * roll forward from.
 */
public record Coverage(String asset, List<Span> spans, List<Gap> gaps) {
    /** Restorable to any moment from {@code from} to {@code to}. */
    public record Span(Instant from, Instant to) {
    }

    /** No restore can reach a moment in here, and why. */
    public record Gap(Instant from, Instant to, String why) {
    }

    public Coverage {
        spans = List.copyOf(spans);
        gaps = List.copyOf(gaps);
    }

    /** The newest moment a restore can reach, if any. */
    public Optional<Instant> newest() {
        return spans.isEmpty() ? Optional.empty() : Optional.of(spans.get(spans.size() - 1).to());
    }

    /** The oldest moment a restore can reach, if any. */
    public Optional<Instant> oldest() {
        return spans.isEmpty() ? Optional.empty() : Optional.of(spans.get(0).from());
    }

    /** Whether a restore can reach {@code at}. */
    public boolean covers(Instant at) {
        return spans.stream().anyMatch(s -> !at.isBefore(s.from()) && !at.isAfter(s.to()));
    }

    /** The coverage of an asset that ships its WAL, as the history records its base backups and WAL files. */
    public static Coverage of(PitrRepository pitr, dev.lifeboat.core.history.PitrConfig c) {
        return of(c.asset(), pitr.bases(c.host(), c.stack(), c.asset()), pitr.files(c.host(), c.stack(), c.asset(), c.destination()));
    }

    /** The coverage of {@code asset} from its base backups and the WAL files shipped (timeline histories are ignored). */
    public static Coverage of(String asset, List<PitrRepository.Base> bases, List<WalFile> files) {
        List<WalFile> segments = new ArrayList<>(files.stream().filter(f -> !f.name().endsWith(".history")).toList());
        segments.sort(Comparator.comparingLong((WalFile f) -> WalFile.position(f.name())).thenComparing(WalFile::name));
        // runs of consecutive segments (a segment on a newer timeline at the same position continues the run)
        List<List<WalFile>> runs = new ArrayList<>();
        for (WalFile f : segments) {
            List<WalFile> last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            long previous = last == null ? Long.MIN_VALUE : WalFile.position(last.get(last.size() - 1).name());
            if (last != null && WalFile.position(f.name()) - previous <= 1) {
                last.add(f);
            } else {
                runs.add(new ArrayList<>(List.of(f)));
            }
        }
        List<Span> spans = new ArrayList<>();
        List<Gap> gaps = new ArrayList<>();
        String pendingWhy = null;
        for (int i = 0; i < runs.size(); i++) {
            List<WalFile> run = runs.get(i);
            long first = WalFile.position(run.get(0).name());
            long last = WalFile.position(run.get(run.size() - 1).name());
            Instant until = run.stream().map(WalFile::shippedAt).max(Comparator.naturalOrder()).orElseThrow();
            Optional<Instant> from = bases.stream().filter(b -> {
                long p = WalFile.position(b.startWal());
                return p >= first && p <= last;
            }).map(PitrRepository.Base::endedAt).min(Comparator.naturalOrder());
            if (i > 0) {
                String missing = WalFile.segmentAt(run.get(0).name(), WalFile.position(runs.get(i - 1)
                        .get(runs.get(i - 1).size() - 1).name()) + 1);
                pendingWhy = "WAL segment " + missing + " is missing";
            }
            if (from.isEmpty() || !from.get().isBefore(until)) {
                pendingWhy = pendingWhy != null ? pendingWhy : "no base backup before this WAL";
                continue;
            }
            Instant start = from.get();
            if (!spans.isEmpty()) {
                Instant previousEnd = spans.get(spans.size() - 1).to();
                start = start.isBefore(previousEnd) ? previousEnd : start; // a late shipping pass: the spans meet
                if (start.isAfter(previousEnd)) {
                    gaps.add(new Gap(previousEnd, start, pendingWhy));
                }
            }
            spans.add(new Span(start, until));
            pendingWhy = null;
        }
        return new Coverage(asset, spans, gaps);
    }
}
