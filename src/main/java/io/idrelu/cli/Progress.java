package io.idrelu.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of long work on stderr: an updating line when stderr is a terminal, otherwise a plain line
 * at most every few seconds (so CI logs stay short).
 */
final class Progress {
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    private static final long TTY_INTERVAL_NANOS = 200_000_000L;
    private final PrintWriter err;
    private final long total;
    private final boolean tty = System.console() != null;
    private final long start = System.nanoTime();
    private long last = System.nanoTime();
    private boolean printed;

    Progress(PrintWriter err, long total) {
        this.err = err;
        this.total = total;
    }

    void update(long done, double loss) {
        long now = System.nanoTime();
        if (now - last < (tty ? TTY_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS) && done < total) {
            return;
        }
        last = now;
        String line = String.format(Locale.ROOT, "step %d/%d (%.0f%%), population loss %.4e, %.1f s", done, total,
                total == 0 ? 100.0 : 100.0 * done / total, loss, (now - start) * 1e-9);
        if (tty) {
            err.print("\r" + line + "   ");
        } else {
            err.println(line);
        }
        printed = true;
        err.flush();
    }

    void finish() {
        if (tty && printed) {
            err.println();
            err.flush();
        }
    }
}
