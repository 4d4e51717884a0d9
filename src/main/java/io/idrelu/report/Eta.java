package io.idrelu.report;

import java.util.Locale;

/**
 * Estimated time to finish long work, from the work units completed so far in this run: the mean time per
 * completed unit times the units left, {@code ETA = elapsed / done * (total - done)}. It assumes the units
 * left cost on average what the finished ones did; with units of unequal cost (the claims of a check) it is
 * a rough guide, and it is not shown ({@code "ETA --"}) until {@code minDone} units have finished.
 */
public final class Eta {
    private Eta() { }

    /** Seconds left, or NaN while fewer than {@code minDone} (at least 1) units finished. */
    public static double seconds(long done, long total, long elapsedNanos, long minDone) {
        if (done < Math.max(1, minDone) || elapsedNanos < 0) {
            return Double.NaN;
        }
        return elapsedNanos * 1e-9 / done * Math.max(0, total - done);
    }

    /** {@code "ETA 45s"}, {@code "ETA 3m05s"}, {@code "ETA 1h02m"}, or {@code "ETA --"} when unknown. */
    public static String text(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "ETA --";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return "ETA " + s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "ETA %dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "ETA %dh%02dm", s / 3600, (s % 3600) / 60);
    }

    public static String text(long done, long total, long elapsedNanos, long minDone) {
        return text(seconds(done, total, elapsedNanos, minDone));
    }
}
