package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.idrelu.claims.InjectedBugs;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.ScalarFloatKernel;
import io.idrelu.kernel.ScalarKernel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code idrelu audit --kernel-class NAME --classpath JAR}: loading, exit codes, and the battery's verdict. */
class UserKernelAuditTest {

    /** Delegates every call. */
    public static class Delegating implements Kernel {
        private final Kernel k;
        private final String label;

        Delegating(Kernel k, String label) {
            this.k = k;
            this.label = label;
        }

        @Override public String name() { return label; }
        @Override public void preActivations(int d, boolean id, double[] w, double[] x, int b, double[] h) { k.preActivations(d, id, w, x, b, h); }
        @Override public void forward(int d, boolean id, double[] w, double[] x, int b, double[] o) { k.forward(d, id, w, x, b, o); }
        @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int b, double[] r, double[] g) {
            return k.lossAndGradient(d, id, w, ws, x, b, r, g);
        }
        @Override public double sgdStep(int d, boolean id, double[] w, double[] ws, double[] x, int b, double eta, Scratch s) {
            return k.sgdStep(d, id, w, ws, x, b, eta, s);
        }
        @Override public Scratch newScratch(int d, int b) { return k.newScratch(d, b); }
        @Override public double populationLossAndGradient(int d, boolean id, double[] w, double[] ws, double[] g) {
            return k.populationLossAndGradient(d, id, w, ws, g);
        }
    }

    /** A user kernel: delegates to ours (public, public no-arg constructor). */
    public static class Good extends Delegating {
        public Good() {
            super(new ScalarKernel(), "user-good");
        }
    }

    /** A user kernel with the {@code >=} mask bug. */
    public static class Bad extends Delegating {
        public Bad() {
            super(InjectedBugs.geqMask(new ScalarKernel()), "user-bad");
        }
    }

    /** Float only. */
    public static class GoodFloat extends ScalarFloatKernelHolder { }

    public static class ScalarFloatKernelHolder implements FloatKernel {
        private final FloatKernel k = new ScalarFloatKernel();
        @Override public String name() { return "user-float"; }
        @Override public void preActivations(int d, boolean id, float[] w, float[] x, int b, float[] h) { k.preActivations(d, id, w, x, b, h); }
        @Override public void forward(int d, boolean id, float[] w, float[] x, int b, float[] o) { k.forward(d, id, w, x, b, o); }
        @Override public float lossAndGradient(int d, boolean id, float[] w, float[] ws, float[] x, int b, float[] r, float[] g) {
            return k.lossAndGradient(d, id, w, ws, x, b, r, g);
        }
        @Override public float sgdStep(int d, boolean id, float[] w, float[] ws, float[] x, int b, float eta, Scratch s) {
            return k.sgdStep(d, id, w, ws, x, b, eta, s);
        }
        @Override public Scratch newScratch(int d, int b) { return k.newScratch(d, b); }
        @Override public float populationLossAndGradient(int d, boolean id, float[] w, float[] ws, float[] g) {
            return k.populationLossAndGradient(d, id, w, ws, g);
        }
    }

    public static class NoDefaultConstructor extends Delegating {
        public NoDefaultConstructor(int unused) {
            super(new ScalarKernel(), "x");
        }
    }

    public static class NotAKernel {
        public NotAKernel() { }
    }

    public static class ThrowsInConstructor extends Delegating {
        public ThrowsInConstructor() {
            super(new ScalarKernel(), "x");
            throw new IllegalStateException("no license");
        }
    }

    static String cp() throws Exception {
        return Path.of(UserKernelAuditTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    static String name(Class<?> c) {
        return c.getName();
    }

    @Test
    void goodKernelPassesAndBadKernelFailsWithTheWorstElementAndReplay() throws Exception {
        CliRun good = CliRun.of("audit", "--kernel-class", name(Good.class), "--classpath", cp(), "--only", "A1 batch d=7 identity");
        assertThat(good.exit()).as(good.out() + good.err()).isZero();
        assertThat(good.out()).contains("PASS A1 batch d=7 identity [double]").contains("all 1 checks passed");

        CliRun bad = CliRun.of("audit", "--kernel-class", name(Bad.class), "--classpath", cp(), "--only", "A1 batch d=7 identity");
        assertThat(bad.exit()).as(bad.out() + bad.err()).isEqualTo(1);
        assertThat(bad.out()).contains("FAIL A1 batch d=7 identity [double]").contains("worst element")
                .contains("> bound").contains("replay: d=7, identity=true, seed=").contains("1 of 1 checks FAILED");
    }

    @Test
    void floatOnlyKernelAndJson() throws Exception {
        CliRun r = CliRun.of("audit", "--kernel-class", name(GoodFloat.class), "--classpath", cp(), "--only", "determinism d=7",
                "--json");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        JsonNode o = Json.MAPPER.readTree(r.out());
        assertThat(o.get("passed").asBoolean()).isTrue();
        assertThat(o.get("kernels").get(0).get("checks").get(0).get("precision").asText()).isEqualTo("float");
        CliRun none = CliRun.of("audit", "--kernel-class", name(GoodFloat.class), "--classpath", cp(), "--precision", "double");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("implements no kernel of the requested --precision double");
    }

    @Test
    void loadingProblemsAreUsageErrors() throws Exception {
        CliRun missingJar = CliRun.of("audit", "--kernel-class", "a.B", "--classpath", "/nonexistent/k.jar");
        assertThat(missingJar.exit()).isEqualTo(2);
        assertThat(missingJar.err()).contains("/nonexistent/k.jar does not exist");

        CliRun missingClass = CliRun.of("audit", "--kernel-class", "com.example.Nope", "--classpath", cp());
        assertThat(missingClass.exit()).isEqualTo(2);
        assertThat(missingClass.err()).contains("com.example.Nope: no such class");

        CliRun noCtor = CliRun.of("audit", "--kernel-class", name(NoDefaultConstructor.class), "--classpath", cp());
        assertThat(noCtor.exit()).isEqualTo(2);
        assertThat(noCtor.err()).contains("has no public no-argument constructor");

        CliRun notKernel = CliRun.of("audit", "--kernel-class", name(NotAKernel.class), "--classpath", cp());
        assertThat(notKernel.exit()).isEqualTo(2);
        assertThat(notKernel.err()).contains("implements neither io.idrelu.kernel.Kernel nor io.idrelu.kernel.FloatKernel");

        CliRun throwing = CliRun.of("audit", "--kernel-class", name(ThrowsInConstructor.class), "--classpath", cp());
        assertThat(throwing.exit()).isEqualTo(2);
        assertThat(throwing.err()).contains("the constructor threw java.lang.IllegalStateException: no license");

        CliRun noMatch = CliRun.of("audit", "--kernel-class", name(Good.class), "--classpath", cp(), "--only", "zzz");
        assertThat(noMatch.exit()).isEqualTo(2);

        CliRun missingCp = CliRun.of("audit", "--kernel-class", name(Good.class));
        assertThat(missingCp.exit()).isEqualTo(2);
    }
}
