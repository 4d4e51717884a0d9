package io.idrelu.report;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * CheckProgress of a check on stderr. On a terminal one status line is rewritten in place
 * ({@code \r}); otherwise plain lines: one per finished unit ({@code [3/17] C8 HOLDS in 2.1 s}) and the
 * claims' own progress messages, at most one per claim every {@link #MESSAGE_INTERVAL_NANOS}.
 * Thread-safe; never writes to stdout.
 */
public final class CheckProgress {
    static final long MESSAGE_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final int total;
    private int done;
    private final Map<String, String> running = new ConcurrentSkipListMap<>();
    private final Map<String, Long> lastMessage = new java.util.HashMap<>();
    private int lastWidth;
    private final Map<String, Long> startedAt = new java.util.HashMap<>();
    private java.util.concurrent.ScheduledExecutorService heartbeat;

    /** Off a terminal, the interval of "still running" lines while no unit finishes. */
    static final long HEARTBEAT_SECONDS = 30;

    public CheckProgress(PrintWriter err, boolean terminal, int total, int alreadyDone) {
        this.err = err;
        this.terminal = terminal;
        this.total = total;
        this.done = alreadyDone;
    }

    /** A sink that prints nothing. */
    public static CheckProgress silent() {
        return new CheckProgress(new PrintWriter(java.io.Writer.nullWriter()), false, 0, 0);
    }

    public synchronized void started(String id) {
        running.put(id, "running");
        startedAt.put(id, System.nanoTime());
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
        long now = System.nanoTime();
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
        long now = System.nanoTime();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "[%d/%d] still running:", done, total));
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
        String line = String.format(Locale.ROOT, "[%d/%d] %s %s in %.1f s", done, total, id, verdict, seconds);
        if (terminal) {
            clear();
            err.println(line);
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
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "[%d/%d]", done, total));
        for (Map.Entry<String, String> e : running.entrySet()) {
            s.append("  ").append(e.getKey()).append(": ").append(e.getValue());
        }
        String line = s.length() > 150 ? s.substring(0, 147) + "..." : s.toString();
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
