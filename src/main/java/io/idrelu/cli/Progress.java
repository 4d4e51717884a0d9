package io.idrelu.cli;

import io.idrelu.report.Eta;
import io.idrelu.report.StderrTerminal;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of long work on stderr: an updating line when stderr is a terminal (cut to its width,
 * {@link StderrTerminal}), otherwise a plain line with no carriage return at most every few seconds (so CI
 * logs stay short). The ETA is the mean time per step so far times the steps left ({@link Eta}); it is
 * shown once {@link #MIN_FRACTION_FOR_ETA} of the steps are done ({@code ETA --} before), since the
 * first steps include JIT warm-up.
 */
final class Progress {
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    private static final long TTY_INTERVAL_NANOS = 200_000_000L;
    /** Fraction of the steps done before an ETA is shown. */
    static final double MIN_FRACTION_FOR_ETA = 0.01;
    private final PrintWriter err;
    private final long total;
    private final StderrTerminal term;
    private final LongSupplier clock;
    private final long start;
    private long last;
    private int lastWidth;
    private boolean printed;

    Progress(PrintWriter err, long total) {
        this(err, total, StderrTerminal.detect(), System::nanoTime);
    }

    /** Progress of {@code total} steps on {@code term}, timed by {@code clock} (nanoseconds; tests pass a fake). */
    Progress(PrintWriter err, long total, StderrTerminal term, LongSupplier clock) {
        this.err = err;
        this.total = total;
        this.term = term;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.last = start;
    }

    void update(long done, double loss) {
        long now = clock.getAsLong();
        if (now - last < (term.terminal() ? TTY_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS) && done < total) {
            return;
        }
        last = now;
        long minDone = (long) Math.ceil(MIN_FRACTION_FOR_ETA * total);
        String line = String.format(Locale.ROOT, "step %d/%d (%.0f%%), population loss %.4e, %.1f s, %s", done, total,
                total == 0 ? 100.0 : 100.0 * done / total, loss, (now - start) * 1e-9,
                done >= total ? "done" : Eta.text(done, total, now - start, minDone));
        if (term.terminal()) {
            String fitted = term.fit(line);
            err.print("\r" + fitted + " ".repeat(Math.max(0, lastWidth - fitted.length())));
            lastWidth = fitted.length();
        } else {
            err.println(line);
        }
        printed = true;
        err.flush();
    }

    void finish() {
        if (term.terminal() && printed) {
            err.println();
            err.flush();
        }
    }
}
