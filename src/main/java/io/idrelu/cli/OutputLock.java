package io.idrelu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Exclusive use of an output directory ({@code check}, {@code sweep}, {@code merge} {@code --out}) for one
 * run, so that two runs into the same directory cannot interleave their files (a report.json of one next to
 * the journal of the other). The second run is refused (exit 2) naming the holder, before it writes anything.
 *
 * <p>Mechanism: an OS file lock ({@link FileChannel#tryLock()}: {@code fcntl} on Linux/macOS,
 * {@code LockFileEx} on Windows) on {@code DIR/.idrelu.lock}, which also holds the holder's description
 * (command, pid, host, start time) for the refusal message. On {@link #close()} the description is erased and
 * the lock released; the (then empty) file stays, because deleting a lock file races with a run that has
 * just opened it. POSIX drops <em>all</em> of a process's locks on a file when <em>any</em> descriptor of
 * that file is closed, so the holder never opens the file a second time (everything goes through its one
 * channel), and runs inside one JVM (tests, library use) are arbitrated by an in-memory table before any
 * descriptor is opened.
 *
 * <p>Stale locks: the operating system drops a process's file locks when it dies (exit, crash,
 * {@code kill -9}, OOM killer), so a lock file left behind by a dead run is not <em>locked</em> and the next
 * run simply takes it over, saying so on stderr when the file still names a holder (which only happens when
 * that holder died without {@link #close()}). No pid or age heuristics are needed, and a live holder is
 * never mistaken for a dead one, also across hosts sharing a file system with working locks. Limits: on a
 * network file system without working locks (some NFS setups) {@code tryLock} fails with an I/O error; the
 * run then goes ahead with a warning that concurrent runs into that directory are not detected.
 *
 * <p>Creating the directory and the lock file is also the real writability check of {@code --out}: it runs
 * before any work, so an unwritable location ({@code /proc/x}, a read-only mount, which access checks miss
 * when running as root) fails with exit 2 before the work, not after it.
 */
public final class OutputLock implements AutoCloseable {
    /** The lock file inside the output directory. */
    public static final String FILE = ".idrelu.lock";
    /** Directories held by this JVM (real path to holder description). */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path dir;
    private final Path real;
    private final Path createdRoot;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path dir, Path real, Path createdRoot, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.real = real;
        this.createdRoot = createdRoot;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed and locks it for this run.
     *
     * @param option  the option naming the directory, for messages ({@code --out})
     * @param command what holds the lock, e.g. {@code idrelu check}
     * @param err     where a stale-lock take-over or a missing lock facility is noted
     * @throws UsageException when another live run holds the directory, or it cannot be created or written
     */
    public static OutputLock acquire(Path dir, String option, String command, PrintWriter err) {
        Path abs = dir.toAbsolutePath().normalize();
        Path createdRoot = firstMissing(abs);
        Path real;
        try {
            Files.createDirectories(abs);
            real = abs.toRealPath();
        } catch (IOException e) {
            throw new UsageException(option + " " + dir + ": cannot create the directory (" + describe(e) + "): expected a writable location");
        }
        String holder = command + ", pid " + ProcessHandle.current().pid() + " on host " + host() + ", started "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String inThisJvm = HELD.putIfAbsent(real, holder);
        if (inThisJvm != null) {
            throw inUse(dir, option, inThisJvm);
        }
        Path file = real.resolve(FILE);
        FileChannel ch = null;
        boolean held = false;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = null;
            boolean supported = true;
            try {
                lock = ch.tryLock(); // null: another process holds it
            } catch (IOException e) {
                supported = false;
                err.println("idrelu: warning: cannot lock " + file + " (" + describe(e)
                        + "): concurrent runs into " + dir + " are not detected");
                err.flush();
            }
            if (lock == null && supported) {
                throw inUse(dir, option, content(ch));
            }
            String previous = content(ch);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            if (!previous.isBlank()) {
                err.println("idrelu: note: took over the stale lock " + file + " (" + previous.strip()
                        + "): that process no longer holds it");
                err.flush();
            }
            OutputLock result = new OutputLock(abs, real, createdRoot, ch, lock);
            held = true;
            return result;
        } catch (IOException e) {
            throw new UsageException(option + " " + dir + ": cannot create or write " + FILE + " in it (" + describe(e)
                    + "): expected a writable directory");
        } finally {
            if (!held) { // refused or failed: release what we took
                HELD.remove(real);
                if (ch != null) {
                    close(ch);
                }
                if (createdRoot != null) {
                    removeCreated(abs, createdRoot, file);
                }
            }
        }
    }

    private static UsageException inUse(Path dir, String option, String holder) {
        return new UsageException(option + " " + dir + " is in use by another run ("
                + (holder.isBlank() ? "its holder is still starting" : holder.strip())
                + "): expected a directory no other idrelu run is writing; wait for it to finish or choose another " + option);
    }

    /** Erases the holder description and releases the lock; removes the directory again if this run created it and left it empty. */
    @Override
    public void close() {
        try {
            channel.truncate(0); // a clean exit leaves no holder behind: the next run has nothing stale to report
        } catch (IOException e) {
            // the next run then reports a stale lock: harmless
        }
        close(channel);
        HELD.remove(real);
        if (createdRoot != null) {
            removeCreated(dir, createdRoot, real.resolve(FILE));
        }
    }

    /** Whether an OS lock is held (false only on a file system without lock support). */
    public boolean locked() {
        return lock != null;
    }

    private static void close(FileChannel ch) {
        try {
            ch.close(); // releases the lock
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes the directories from {@code dir} up to {@code createdRoot} that this run created, if they hold
     * nothing but the (released, empty) lock file: a run refused or failed right after creating them leaves nothing.
     */
    private static void removeCreated(Path dir, Path createdRoot, Path lockFile) {
        try (Stream<Path> s = Files.list(dir)) {
            if (s.anyMatch(p -> !p.getFileName().toString().equals(FILE))) {
                return; // the run wrote something: keep it
            }
            Files.deleteIfExists(lockFile);
        } catch (IOException e) {
            return;
        }
        for (Path p = dir; p != null && p.startsWith(createdRoot); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static Path firstMissing(Path abs) {
        Path missing = null;
        for (Path p = abs; p != null && !Files.exists(p); p = p.getParent()) {
            missing = p;
        }
        return missing;
    }

    /** The file's text, read through {@code ch} itself (never a second descriptor: see the class comment). */
    private static String content(FileChannel ch) throws IOException {
        long size = Math.min(ch.size(), 4096);
        ByteBuffer b = ByteBuffer.allocate((int) size);
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // positional reads until full
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
