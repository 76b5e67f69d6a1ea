package dev.lifeboat.cli;

import dev.lifeboat.core.LifeboatException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/** Moments as admins type them: '2026-12-01 14:03:00+01', '2026-12-01T14:03:00.250Z', with a zone always. */
final class Moments {
    private static final DateTimeFormatter TYPED = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd").optionalStart().appendLiteral('T').optionalEnd().optionalStart().appendLiteral(' ')
            .optionalEnd().appendPattern("HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd().optionalStart().appendLiteral(' ').optionalEnd()
            .appendOffset("+HH:mm", "Z").toFormatter();
    private static final DateTimeFormatter SHORT_OFFSET = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd").optionalStart().appendLiteral('T').optionalEnd().optionalStart().appendLiteral(' ')
            .optionalEnd().appendPattern("HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd().optionalStart().appendLiteral(' ').optionalEnd()
            .appendOffset("+HH", "Z").toFormatter();

    private Moments() {
    }

    static Instant parse(String text) {
        String t = text.trim();
        for (DateTimeFormatter f : new DateTimeFormatter[] {TYPED, SHORT_OFFSET}) {
            try {
                return OffsetDateTime.parse(t, f).toInstant();
            } catch (DateTimeParseException next) {
                // the other form
            }
        }
        throw new LifeboatException("'" + text + "' is not a moment with its zone, like '2026-12-01 14:03:00+01' or"
                + " '2026-12-01T13:03:00Z'");
    }
}
