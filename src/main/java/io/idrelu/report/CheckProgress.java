package io.idrelu.report;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * CheckProgress of a check on stderr. On a terminal one status line is rewritten in place
 * ({@code \r}), cut to the terminal's width ({@link StderrTerminal}); otherwise plain lines with no
 * carriage returns: one per finished unit ({@code [3/17] C8 HOLDS in 2.1 s, ETA 1m05s}) and the
 * claims' own progress messages, at most one per claim every {@link #MESSAGE_INTERVAL_NANOS}.
 * The ETA ({@link Eta}) is the mean wall time per unit finished in this run times the units left, shown
 * once {@link #MIN_UNITS_FOR_ETA} units have finished ({@code ETA --} before); units resumed from a
 * journal do not count, as their time is not in this run. Thread-safe; never writes to stdout.
 */
public final class CheckProgress {
    static final long MESSAGE_INTERVAL_NANOS = 5_000_000_000L;

    /** Units finished in this run before an ETA is shown: one unit says little about claims of unequal cost. */
    static final int MIN_UNITS_FOR_ETA = 2;

    private final PrintWriter err;
    private final boolean terminal;
    private final StderrTerminal term;
    private final java.util.function.LongSupplier clock;
    private final long start;
    private final int total;
    private final int resumed;
    private int done;
    private final Map<String, String> running = new ConcurrentSkipListMap<>();
    private final Map<String, Long> lastMessage = new java.util.HashMap<>();
    private int lastWidth;
    private final Map<String, Long> startedAt = new java.util.HashMap<>();
    private java.util.concurrent.ScheduledExecutorService heartbeat;

    /** Off a terminal, the interval of "still running" lines while no unit finishes. */
    static final long HEARTBEAT_SECONDS = 30;

    /** Progress on {@code term} (terminal or not, width), timed by {@code clock} (nanoseconds; tests pass a fake). */
    public CheckProgress(PrintWriter err, StderrTerminal term, int total, int alreadyDone, java.util.function.LongSupplier clock) {
        this.err = err;
        this.term = term;
        this.terminal = term.terminal();
        this.clock = clock;
        this.start = clock.getAsLong();
        this.total = total;
        this.done = alreadyDone;
        this.resumed = alreadyDone;
    }

    public CheckProgress(PrintWriter err, boolean terminal, int total, int alreadyDone) {
        this(err, new StderrTerminal(terminal, StderrTerminal.DEFAULT_COLUMNS), total, alreadyDone, System::nanoTime);
    }

    /** A sink that prints nothing. */
    public static CheckProgress silent() {
        return new CheckProgress(new PrintWriter(java.io.Writer.nullWriter()), false, 0, 0);
    }

    /** {@code ETA ...} from the units finished in this run. */
    String eta() {
        return Eta.text(done - resumed, total - resumed, clock.getAsLong() - start, MIN_UNITS_FOR_ETA);
    }

    public synchronized void started(String id) {
        running.put(id, "running");
        startedAt.put(id, clock.getAsLong());
        if (!terminal && heartbeat == null) {
            heartbeat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "idrelu-progress");
                t.setDaemon(true);
                return t;
            });
            heartbeat.scheduleAtFixedRate(this::stillRunning, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (terminal) {
            status();
        }
    }

    /** A message from a claim (its {@code ClaimContext.progress}). */
    public synchronized void message(String id, String text) {
        running.put(id, text);
        if (terminal) {
            status();
            return;
        }
        long now = clock.getAsLong();
        Long last = lastMessage.get(id);
        if (last == null || now - last >= MESSAGE_INTERVAL_NANOS) {
            lastMessage.put(id, now);
            err.println("  " + id + ": " + text);
            err.flush();
        }
    }

    /** One plain line naming the units in progress and how long they have run. */
    synchronized void stillRunning() {
        if (running.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "[%d/%d, %s] still running:", done, total, eta()));
        for (String id : running.keySet()) {
            Long t0 = startedAt.get(id);
            s.append(String.format(Locale.ROOT, " %s (%.0f s)", id, t0 == null ? 0 : (now - t0) * 1e-9));
        }
        err.println(s);
        err.flush();
    }

    public synchronized void finished(String id, String verdict, double seconds) {
        running.remove(id);
        startedAt.remove(id);
        done++;
        String line = String.format(Locale.ROOT, "[%d/%d] %s %s in %.1f s", done, total, id, verdict, seconds)
                + (done < total ? ", " + eta() : "");
        if (terminal) {
            clear();
            err.println(term.fit(line));
            status();
        } else {
            err.println(line);
            err.flush();
        }
    }

    /** A plain note line (resumed units, report location). */
    public synchronized void note(String text) {
        if (terminal) {
            clear();
        }
        err.println(text);
        err.flush();
    }

    public synchronized void end() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            heartbeat = null;
        }
        if (terminal) {
            clear();
            err.flush();
        }
    }

    private void status() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "[%d/%d, %s]", done, total, eta()));
        for (Map.Entry<String, String> e : running.entrySet()) {
            s.append("  ").append(e.getKey()).append(": ").append(e.getValue());
        }
        String line = term.fit(s.toString());
        err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        lastWidth = line.length();
        err.flush();
    }

    private void clear() {
        if (lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            lastWidth = 0;
        }
    }
}
