package dev.lifeboat.core.model;

import dev.lifeboat.core.LifeboatException;

/**
 * Grandfather-father-son retention: how many hourly, daily, weekly, monthly and yearly points to keep.
 * The defaults are the ones users' DR plans ask for: 7 daily, 4 weekly, 12 monthly.
 */
public record RetentionPolicy(int hourly, int daily, int weekly, int monthly, int yearly) {
    public RetentionPolicy {
        if (hourly < 0 || daily < 0 || weekly < 0 || monthly < 0 || yearly < 0) {
            throw new LifeboatException("Retention counts cannot be negative");
        }
    }

    public static RetentionPolicy defaults() {
        return new RetentionPolicy(0, 7, 4, 12, 0);
    }

    @Override
    public String toString() {
        return "hourly " + hourly + ", daily " + daily + ", weekly " + weekly + ", monthly " + monthly + ", yearly " + yearly;
    }
}
