package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.idrelu.claims.Claim;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Verdict;
import io.idrelu.report.ClaimCatalogue;
import io.idrelu.report.FakeClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 12, "Runs and files": two runs into one {@code --out} (in one JVM and across two JVMs), a stale lock
 * left by a killed process, {@code merge} into one of its own inputs, and an unwritable {@code sweep --out}
 * found before the work. Each refusal has its control: the same command where it must succeed.
 */
class OutputDirectoryTest {
    @TempDir
    Path tmp;

    /** Released by the test: the blocking claim waits on it, so a run is held "in progress". */
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);

    /** A holding fake claim that first signals {@link #entered} and waits for {@link #release}. */
    private final class Blocking implements Claim {
        @Override
        public String id() {
            return "F1";
        }

        @Override
        public String statement() {
            return "fake claim that waits";
        }

        @Override
        public ClaimResult run(ClaimContext ctx) {
            entered.countDown();
            try {
                assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new FakeClaims.Fake("F1", Verdict.HOLDS, 0, false).run(ctx);
        }
    }

    @BeforeEach
    void fakes() {
        FakeClaims.reset();
        CheckCommand.catalogue = FakeClaims.catalogue(List.of(Blocking::new, () -> new FakeClaims.Fake("F2", Verdict.HOLDS, 0, false)));
    }

    @AfterEach
    void registry() {
        release.countDown();
        CheckCommand.catalogue = ClaimCatalogue.REGISTRY;
    }

    private static CliRun check(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("check", "--preset", "quick", "--kernel", "scalar", "--threads", "1",
                "--out", out.toString()));
        a.addAll(List.of(more));
        return CliRun.of(a.toArray(String[]::new));
    }

    /** Every file under {@code dir} with its bytes, to show that a refused run changed nothing. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    m.put(dir.relativize(p).toString(), Arrays.toString(Files.readAllBytes(p)));
                }
            }
        }
        return m;
    }

    private static void assertRefused(CliRun r, String... expected) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains(expected).doesNotContain("\tat ");
    }

    @Test
    void secondCheckIntoTheSameOutIsRefusedNamingTheHolderAndWritesNothing() throws Exception {
        Path out = tmp.resolve("r");
        CompletableFuture<CliRun> first = CompletableFuture.supplyAsync(() -> check(out));
        assertThat(entered.await(60, TimeUnit.SECONDS)).as("first run reached its claim").isTrue();
        Map<String, String> before = snapshot(out);
        assertThat(before).containsKey(OutputLock.FILE).containsKey("journal.jsonl");

        CliRun second = check(out, "--claims", "F2", "--seed", "5");
        assertRefused(second, "--out " + out + " is in use by another run",
                "idrelu check, pid " + ProcessHandle.current().pid(), "started ");
        assertThat(snapshot(out)).as("the refused run wrote nothing").isEqualTo(before);
        // a sweep and a merge into the held directory are refused the same way
        assertRefused(CliRun.of("sweep", "--gamma", "0.1", "--d", "2", "--seeds", "1", "--steps", "1", "--out", out.toString()),
                "is in use by another run");
        assertThat(snapshot(out)).isEqualTo(before);

        release.countDown();
        CliRun a = first.get(60, TimeUnit.SECONDS);
        assertThat(a.exit()).as(a.err()).isZero();
        JsonNode report = Json.MAPPER.readTree(Files.readString(out.resolve("report.json")));
        assertThat(report.path("configuration").path("claims").toString()).isEqualTo("[\"F1\",\"F2\"]");
        assertThat(report.path("configuration").path("seed").asLong()).isEqualTo(CheckCommand.DEFAULT_SEED);
        assertThat(out.resolve(OutputLock.FILE)).as("released on exit: no holder left in it").isEmptyFile();
        // control: once the first run has finished, the same second command runs
        CliRun again = check(out, "--claims", "F2", "--seed", "5");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.err()).doesNotContain("stale");
    }

    @Test
    void anotherJvmHoldingTheDirectoryBlocksUntilItDiesThenTheStaleLockIsTakenOver() throws Exception {
        release.countDown();
        Path out = tmp.resolve("shared");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), out.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).as("holder JVM started").startsWith("locked ");
            long pid = holder.pid();
            Map<String, String> before = snapshot(out);
            assertRefused(check(out), "is in use by another run", "idrelu check, pid " + pid + " on host ");
            assertThat(snapshot(out)).isEqualTo(before);
            assertThat(FakeClaims.RUN_COUNT.get()).as("no claim ran").isZero();

            holder.destroyForcibly(); // kill -9: no chance to clean up, the lock file stays behind
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(out.resolve(OutputLock.FILE))).as("stale lock file left behind").contains("pid " + pid);
            CliRun after = check(out);
            assertThat(after.exit()).as(after.err()).isZero();
            assertThat(after.err()).contains("took over the stale lock", "pid " + pid, "no longer holds it");
            assertThat(out.resolve("report.json")).isNotEmptyFile();
            assertThat(out.resolve(OutputLock.FILE)).isEmptyFile();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void lockFileWithoutALiveHolderDoesNotBlock() throws Exception {
        release.countDown();
        Path out = Files.createDirectories(tmp.resolve("old"));
        Files.writeString(out.resolve(OutputLock.FILE), "idrelu check, pid 999999 on host gone, started 2020-01-01T00:00:00Z\n");
        CliRun r = check(out);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("took over the stale lock", "pid 999999 on host gone");
    }

    @Test
    void refusedRunRemovesTheDirectoryItCreated() {
        release.countDown();
        Path out = tmp.resolve("a/b/c");
        StringWriter err = new StringWriter();
        OutputLock.acquire(out, "--out", "test", new PrintWriter(err)).close();
        assertThat(tmp.resolve("a")).as("created for the lock only, removed on release").doesNotExist();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void mergeRefusesToWriteIntoOneOfItsInputs() throws Exception {
        release.countDown();
        Path s1 = tmp.resolve("s1");
        Path s2 = tmp.resolve("s2");
        assertThat(check(s1, "--shard", "1/2").exit()).isZero();
        assertThat(check(s2, "--shard", "2/2").exit()).isZero();
        Map<String, String> before1 = snapshot(s1);
        Map<String, String> before2 = snapshot(s2);
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-s2"), s2);
        for (String[] c : new String[][] {
            {s1.toString(), s2.toString(), "--out", s1.toString()},
            {s1.toString(), s2.toString(), "--out", s2.resolve(".").toString() + "/"},
            {s1.toString(), s2.toString(), "--out", link.toString()},
            {s1.toString(), link.toString(), "--out", s2.resolve("..").resolve("s2").toString()},
        }) {
            List<String> a = new ArrayList<>(List.of("merge"));
            a.addAll(List.of(c));
            CliRun r = CliRun.of(a.toArray(String[]::new));
            assertRefused(r, "--out " + Path.of(c[3]), "would overwrite its own input");
        }
        assertThat(snapshot(s1)).isEqualTo(before1);
        assertThat(snapshot(s2)).isEqualTo(before2);
        // control: a fresh output directory merges
        CliRun ok = CliRun.of("merge", s1.toString(), s2.toString(), "--out", tmp.resolve("merged").toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
    }

    @Test
    void sweepIntoAnUnwritableOutFailsBeforeTheWork() throws Exception {
        release.countDown();
        // /proc refuses new entries even to root, for whom access checks say "writable"
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        Path bad = Path.of("/proc/idrelu-no-such-dir");
        List<String> a = List.of("sweep", "--gamma", "0.1:0.3:2", "--d", "3,5", "--seeds", "2", "--steps", "400",
                "--batch", "16", "--kernel", "scalar", "--threads", "1", "--out", bad.toString());
        CliRun r = CliRun.of(a.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("--out " + bad, "expected a writable").doesNotContain("cell ", "\tat ");
        assertThat(r.out()).isEmpty();
        // the same for check, which goes through the same lock
        assertRefused(check(bad), "--out " + bad, "expected a writable");
        assertThat(FakeClaims.RUN_COUNT.get()).isZero();
        // control: the same sweep into a writable directory does the work
        List<String> good = new ArrayList<>(a);
        good.set(good.size() - 1, tmp.resolve("sw").toString());
        CliRun ok = CliRun.of(good.toArray(String[]::new));
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.err()).contains("cell 4/4");
    }
}
