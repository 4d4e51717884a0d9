package io.idrelu.cli;

import io.idrelu.report.StderrTerminal;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code train}'s progress line: plain lines off a terminal, cut to the width on one, ETA from the steps done. */
class ProgressTest {
    private static final long S = 1_000_000_000L;

    @Test
    void plainLinesWithEtaFromStepsDone() {
        AtomicLong now = new AtomicLong(0);
        StringWriter w = new StringWriter();
        Progress p = new Progress(new PrintWriter(w), 1000, new StderrTerminal(false, 80), now::get);
        now.set(6 * S);
        p.update(5, 0.5); // 0.5 % done: below the 1 % needed for an ETA
        now.set(12 * S);
        p.update(100, 0.25); // 100 steps in 12 s -> 900 left take 108 s
        now.set(20 * S);
        p.update(1000, 0.125);
        p.finish();
        String s = w.toString();
        assertThat(s).doesNotContain("\r");
        assertThat(s).contains("step 5/1000 (1%), population loss 5.0000e-01, 6.0 s, ETA --\n")
                .contains("step 100/1000 (10%), population loss 2.5000e-01, 12.0 s, ETA 1m48s\n")
                .contains("step 1000/1000 (100%), population loss 1.2500e-01, 20.0 s, done\n");
    }

    @Test
    void terminalLineIsCutToItsWidth() {
        AtomicLong now = new AtomicLong(0);
        StringWriter w = new StringWriter();
        Progress p = new Progress(new PrintWriter(w), 1_000_000, new StderrTerminal(true, 40), now::get);
        now.set(1 * S);
        p.update(500_000, 0.5);
        now.set(2 * S);
        p.update(600_000, 0.25);
        p.finish();
        for (String seg : w.toString().split("[\r\n]")) {
            assertThat(seg.length()).as(seg).isLessThan(40);
        }
        assertThat(w.toString()).startsWith("\rstep 500000/1000000 (50%)").contains("...");
        // control: a wide terminal shows the whole line with its ETA
        StringWriter wide = new StringWriter();
        Progress q = new Progress(new PrintWriter(wide), 1_000_000, new StderrTerminal(true, 200), now::get);
        now.set(3 * S);
        q.update(500_000, 0.5);
        assertThat(wide.toString()).contains("ETA").doesNotContain("...");
    }
}
