package io.idrelu.report;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress lines: plain lines off a terminal, one rewritten status line on a terminal. */
class CheckProgressTest {
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
        assertThat(s).containsOnlyOnce("still running:").contains("[1/3] still running: C8 (0 s)");
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
        assertThat(s).contains("\r[0/2]  C1: trial 2/100").contains("[1/2] C1 VIOLATED in 0.5 s\n");
        assertThat(java.util.Arrays.stream(s.split("\n")).filter(l -> l.contains("trial")).count()).as("status updates share one line").isEqualTo(1);
    }
}
