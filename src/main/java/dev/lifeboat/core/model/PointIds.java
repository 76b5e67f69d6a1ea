package dev.lifeboat.core.model;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;

/** Recovery point ids: {@code yyyyMMddTHHmmssZ-<6 hex>}, the UTC start of the backup, so ids sort by time. */
public final class PointIds {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PointIds() {
    }

    public static String newId(Instant started) {
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return TIME.format(started.atOffset(ZoneOffset.UTC)) + "-" + HexFormat.of().formatHex(suffix);
    }

    /** When the point's backup started, read from its id; empty for an id of another shape. */
    public static Optional<Instant> startedAt(String id) {
        try {
            return Optional.of(LocalDateTime.parse(id.substring(0, 16), TIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }
}
