package io.idrelu.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * A second JVM for {@link OutputDirectoryTest}: takes the {@link OutputLock} of {@code args[0]}, prints
 * {@code locked} and holds it until its stdin closes (or it is killed, which leaves a stale lock file).
 */
public final class LockHolder {
    private LockHolder() { }

    public static void main(String[] args) throws Exception {
        PrintWriter err = new PrintWriter(System.err, true);
        try (OutputLock lock = OutputLock.acquire(Path.of(args[0]), "--out", "idrelu check", err)) {
            System.out.println("locked " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until stdin closes
            }
        }
    }
}
