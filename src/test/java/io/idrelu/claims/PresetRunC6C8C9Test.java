package io.idrelu.claims;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deep-tier runner behind the numbers in proofs-notes/C6.md, proofs-notes/C8.md, proofs-notes/C9.md: runs the claims named in
 * {@code -Dclaims=C6,C8,C9} at {@code -Dpreset=DEFAULT} with seed 20171109 and writes each result to
 * stderr. Run: {@code mvn -B -ntp -o test -Pdeep -Dtest=PresetRunC6C8C9Test -Dpreset=DEFAULT}.
 */
class PresetRunC6C8C9Test {
    @Test
    @Tag("deep")
    void runPresets() {
        Preset p = Preset.valueOf(System.getProperty("preset", "DEFAULT"));
        ClaimContext ctx = new ClaimContext(TestKernels.kernel(), null, 20171109L, p, PaperConstants.RECALLED,
                s -> System.err.println("  progress: " + s));
        for (String id : System.getProperty("claims", "C6,C8,C9").split(",")) {
            Claim c = switch (id.trim()) {
                case "C6" -> new C6GradientNormBounds();
                case "C8" -> new C8OnePointStrongConvexity();
                case "C9" -> new C9NegativeInnerProductOutsideRegion();
                default -> throw new IllegalArgumentException("unknown claim " + id + ": expected C6, C8 or C9");
            };
            long t0 = System.nanoTime();
            ClaimResult r = c.run(ctx).withSeconds((System.nanoTime() - t0) / 1e9);
            System.err.println("RESULT " + id + " preset=" + p + " kernel=" + ctx.kernel().name());
            System.err.println("  verdict=" + r.verdict() + " measured=" + r.measured() + " " + r.relation() + " "
                    + r.bound() + " units=" + r.units().label() + " margin=" + r.margin() + " trials=" + r.trials()
                    + " seconds=" + r.seconds());
            System.err.println("  worst=" + (r.worst() == null ? "-" : r.worst().line()));
            r.details().forEach((k, v) -> System.err.println("  " + k + " = " + v));
            assertThat(r.verdict()).isNotNull();
        }
    }
}
