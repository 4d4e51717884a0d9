package io.idrelu.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether stderr is a terminal and how wide it is, for progress lines. Java cannot ask the terminal
 * ({@code System.console()} looks at stdin and stdout, not stderr, and there is no {@code ioctl}), so:
 * <ul>
 *   <li>terminal: {@code IDRELU_STDERR_TTY=1|0} if set (the {@code idrelu} launcher sets it from
 *       {@code [ -t 2 ]}); else, on Linux, whether {@code /proc/self/fd/2} points to a {@code /dev/pts/*} or
 *       {@code /dev/tty*} device; else {@code System.console() != null};</li>
 *   <li>width: {@code $COLUMNS} when it is a positive integer (the launcher exports it from {@code stty size}
 *       when stderr is a terminal, since shells do not export it), else {@link #DEFAULT_COLUMNS}.</li>
 * </ul>
 * When stderr is not a terminal, progress is printed as plain lines with no carriage returns.
 */
public record StderrTerminal(boolean terminal, int columns) {
    public static final int DEFAULT_COLUMNS = 80;
    /** Narrower than this, a status line cannot say anything useful: treat the value as wrong. */
    static final int MIN_COLUMNS = 20;

    public StderrTerminal {
        if (columns < MIN_COLUMNS) {
            columns = DEFAULT_COLUMNS;
        }
    }

    /** The terminal of this process. */
    public static StderrTerminal detect() {
        return detect(System.getenv(), Path.of("/proc/self/fd/2"), System.console() != null);
    }

    static StderrTerminal detect(Map<String, String> env, Path fd2, boolean consoleFallback) {
        return new StderrTerminal(isTerminal(env.get("IDRELU_STDERR_TTY"), fd2, consoleFallback), columns(env.get("COLUMNS")));
    }

    static boolean isTerminal(String flag, Path fd2, boolean consoleFallback) {
        if ("1".equals(flag) || "0".equals(flag)) {
            return "1".equals(flag);
        }
        try {
            if (fd2 != null && Files.isSymbolicLink(fd2)) {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (java.io.IOException | SecurityException | UnsupportedOperationException e) {
            // not Linux, or no /proc: fall through
        }
        return consoleFallback;
    }

    /** {@code $COLUMNS} if it is an integer >= {@link #MIN_COLUMNS}, else {@link #DEFAULT_COLUMNS}. */
    static int columns(String value) {
        if (value != null) {
            try {
                int c = Integer.parseInt(value.trim());
                if (c >= MIN_COLUMNS) {
                    return c;
                }
            } catch (NumberFormatException e) {
                // fall back
            }
        }
        return DEFAULT_COLUMNS;
    }

    /** {@code line} cut so that it fits one terminal row (one column is left free: writing the last column wraps on some terminals). */
    public String fit(String line) {
        int w = columns - 1;
        return line.length() <= w ? line : line.substring(0, w - 3) + "...";
    }
}
