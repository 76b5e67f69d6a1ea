package dev.lifeboat.core;

import java.time.Duration;
import java.util.Locale;

/** Byte counts and durations as people read them, the same in the CLI, the console and the reports. */
public final class Units {
    private Units() {
    }

    /** 512 B, 420.8 KiB, 1.7 GiB. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String units = "KMGTPE";
        int u = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        return String.format(Locale.ROOT, "%.1f %siB", bytes / (double) (1L << (u * 10)), units.charAt(u - 1));
    }

    /** 5.5 s under two minutes, then whole minutes under two hours, then hours; "n/a" for none. */
    public static String duration(Duration d) {
        if (d == null) {
            return "n/a";
        }
        long s = d.getSeconds();
        return s < 120 ? String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0) : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }
}
