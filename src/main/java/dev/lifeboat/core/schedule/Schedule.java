package dev.lifeboat.core.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.lifeboat.core.LifeboatException;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A five-field Unix cron expression in a time zone (cron-utils), and the slots it defines. */
public final class Schedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private final String expression;
    private final ExecutionTime execution;
    private final ZoneId zone;

    private Schedule(String expression, ExecutionTime execution, ZoneId zone) {
        this.expression = expression;
        this.execution = execution;
        this.zone = zone;
    }

    public static Schedule parse(String expression, String zone) {
        try {
            return new Schedule(expression, ExecutionTime.forCron(PARSER.parse(expression).validate()), ZoneId.of(zone));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new LifeboatException("Invalid schedule '" + expression + "' (" + zone + "): " + e.getMessage());
        }
    }

    public String expression() {
        return expression;
    }

    /** The newest slot at or before {@code now}. */
    public Optional<Instant> lastSlot(Instant now) {
        ZonedDateTime t = now.atZone(zone);
        if (execution.isMatch(t.withNano(0).withSecond(0)) && !t.withNano(0).withSecond(0).toInstant().isAfter(now)) {
            return Optional.of(t.withNano(0).withSecond(0).toInstant());
        }
        return execution.lastExecution(t).map(ZonedDateTime::toInstant);
    }

    public Optional<Instant> nextSlot(Instant after) {
        return execution.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    public List<Instant> next(Instant after, int n) {
        List<Instant> out = new ArrayList<>();
        Instant t = after;
        for (int i = 0; i < n; i++) {
            Optional<Instant> next = nextSlot(t);
            if (next.isEmpty()) {
                break;
            }
            out.add(next.get());
            t = next.get();
        }
        return out;
    }

    /**
     * Whether a job is due: the newest slot is later than the last slot it ran for. However many slots
     * were missed while nothing ran, this is one run (catch up once, not N times).
     */
    public static boolean due(Optional<Instant> lastSlot, Instant ranForSlot) {
        return lastSlot.isPresent() && (ranForSlot == null || lastSlot.get().isAfter(ranForSlot));
    }
}
