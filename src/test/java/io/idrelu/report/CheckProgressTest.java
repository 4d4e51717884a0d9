package io.idrelu.report;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress lines: plain lines off a terminal, one rewritten status line on a terminal, cut to its width, with an ETA. */
class CheckProgressTest {
    private static final long S = 1_000_000_000L;

    @Test
    void plainModePrintsOneLinePerUnitAndRateLimitsMessages() {
        StringWriter w = new StringWriter();
        CheckProgress p = new CheckProgress(new PrintWriter(w), false, 3, 1);
        p.started("C8");
        p.message("C8", "trial 1/100");
        p.message("C8", "trial 2/100");
        p.stillRunning();
        p.finished("C8", "HOLDS", 2.14);
        p.stillRunning();
        p.end();
        String s = w.toString();
        assertThat(s).contains("  C8: trial 1/100").doesNotContain("trial 2/100").contains("[2/3] C8 HOLDS in 2.1 s").doesNotContain("\r");
        assertThat(s).containsOnlyOnce("still running:").contains("[1/3, ETA --] still running: C8 (0 s)");
    }

    @Test
    void terminalModeRewritesOneStatusLine() {
        StringWriter w = new StringWriter();
        CheckProgress p = new CheckProgress(new PrintWriter(w), true, 2, 0);
        p.started("C1");
        p.message("C1", "trial 1/100");
        p.message("C1", "trial 2/100");
        p.finished("C1", "VIOLATED", 0.5);
        p.end();
        String s = w.toString();
        assertThat(s).contains("\r[0/2, ETA --]  C1: trial 2/100").contains("[1/2] C1 VIOLATED in 0.5 s, ETA --\n");
        assertThat(java.util.Arrays.stream(s.split("\n")).filter(l -> l.contains("trial")).count()).as("status updates share one line").isEqualTo(1);
    }

    @Test
    void statusLineIsCutToTheTerminalWidth() {
        for (int cols : new int[] {40, 80, 132}) {
            StringWriter w = new StringWriter();
            CheckProgress p = new CheckProgress(new PrintWriter(w), new StderrTerminal(true, cols), 17, 0, () -> 0L);
            p.started("C1");
            p.started("C13");
            p.message("C1", "C1 d=8 gamma=0.05 identity=true max|z|=1.5294003346047886 and a long tail of text");
            p.message("C13", "C13 trial 3 of 10: identity converged, vanilla stalled; " + "x".repeat(200));
            String s = w.toString();
            for (String segment : s.split("[\r\n]")) {
                assertThat(segment.length()).as(cols + ": " + segment).isLessThan(cols);
            }
            assertThat(s).contains("...");
        }
        // negative control: at 200 columns the same status is not cut
        StringWriter w = new StringWriter();
        CheckProgress p = new CheckProgress(new PrintWriter(w), new StderrTerminal(true, 400), 17, 0, () -> 0L);
        p.started("C1");
        p.message("C1", "C1 d=8 gamma=0.05 identity=true max|z|=1.5294003346047886 and a long tail of text");
        assertThat(w.toString()).contains("a long tail of text").doesNotContain("...");
    }

    @Test
    void etaFromCompletedUnitsWithAFakeClock() {
        AtomicLong now = new AtomicLong(1000 * S);
        StringWriter w = new StringWriter();
        // 10 units, 2 already done by a resumed run: they do not count towards the rate
        CheckProgress p = new CheckProgress(new PrintWriter(w), new StderrTerminal(false, 80), 10, 2, now::get);
        p.started("C1");
        now.addAndGet(10 * S);
        p.finished("C1", "HOLDS", 10);
        assertThat(w.toString()).contains("[3/10] C1 HOLDS in 10.0 s, ETA --"); // one unit is not enough
        p.started("C2");
        now.addAndGet(30 * S);
        p.finished("C2", "HOLDS", 30);
        // 2 units in 40 s: 20 s each, 6 left -> 120 s
        assertThat(w.toString()).contains("[4/10] C2 HOLDS in 30.0 s, ETA 2m00s");
        p.started("C3");
        now.addAndGet(20 * S);
        p.stillRunning();
        // still 2 units done, now in 60 s: 30 s each, 6 left -> 180 s
        assertThat(w.toString()).contains("[4/10, ETA 3m00s] still running: C3 (20 s)");
        p.end();
    }

    @Test
    void etaText() {
        assertThat(Eta.text(0, 10, 5 * S, 1)).isEqualTo("ETA --");
        assertThat(Eta.text(1, 10, 5 * S, 2)).isEqualTo("ETA --");
        assertThat(Eta.text(5, 10, 5 * S, 2)).isEqualTo("ETA 5s");
        assertThat(Eta.text(1, 100, 100 * S, 1)).isEqualTo("ETA 2h45m");
        assertThat(Eta.text(10, 10, 5 * S, 1)).isEqualTo("ETA 0s");
    }

    @Test
    void terminalDetectionAndWidthFromTheEnvironment() throws Exception {
        Path notALink = Files.createTempFile("fd2", ".txt");
        assertThat(StderrTerminal.detect(Map.of("IDRELU_STDERR_TTY", "1", "COLUMNS", "120"), notALink, false))
                .isEqualTo(new StderrTerminal(true, 120));
        assertThat(StderrTerminal.detect(Map.of("IDRELU_STDERR_TTY", "0"), notALink, true))
                .isEqualTo(new StderrTerminal(false, 80));
        assertThat(StderrTerminal.detect(Map.of("COLUMNS", "abc"), notALink, false)).isEqualTo(new StderrTerminal(false, 80));
        assertThat(StderrTerminal.detect(Map.of("COLUMNS", "3"), notALink, true)).isEqualTo(new StderrTerminal(true, 80));
        Path dir = Files.createTempDirectory("fd");
        Path pts = Files.createSymbolicLink(dir.resolve("2"), Path.of("/dev/pts/7"));
        Path file = Files.createSymbolicLink(dir.resolve("3"), Path.of("/tmp/log.txt"));
        assertThat(StderrTerminal.detect(Map.of(), pts, false).terminal()).isTrue();
        assertThat(StderrTerminal.detect(Map.of(), file, true).terminal()).isFalse();
        assertThat(new StderrTerminal(true, 40).fit("x".repeat(60))).hasSize(39).endsWith("...");
    }
}
