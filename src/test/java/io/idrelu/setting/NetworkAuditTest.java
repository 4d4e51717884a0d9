package io.idrelu.setting;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A1 under every setting (proofs-notes/settings.md section 5): the scalar fast path agrees with the reference within
 * the derived running bound, for each activation, depth 1..3, identity and vanilla, with and without label noise,
 * on Gaussian and non-Gaussian inputs; perturbed kernels must fail the same audit.
 */
class NetworkAuditTest {

    private static NetworkAudit audit(NetworkKernel kernel, Setting s, Activation kernelAct, long seed, int batch) {
        int d = s.d();
        SettingProblem sp = SettingProblem.random(s, seed);
        InputSampler.Stream st = InputSampler.of(s.inputs(), d).stream(seed);
        double[] x = st.batch(batch);
        double[] noise = s.labels().sigma() > 0 ? st.noise(batch, s.labels().sigma()) : null;
        return NetworkAudit.run(kernel, s.architecture(), s.activation(), sp.w0(), sp.wStar(), x, batch, noise, kernelAct);
    }

    static List<Setting> settings() {
        Setting base = Setting.ly17(5).withInit(new Init.Scaled(0.5));
        return List.of(
                Setting.ly17(5),
                Setting.ly17(5).withArchitecture(new Architecture(5, 1, false)),
                base.withArchitecture(new Architecture(5, 3, true)),
                base.withArchitecture(new Architecture(4, 2, false)),
                base.withActivation(new Activation.LeakyRelu(0.1)).withArchitecture(new Architecture(5, 3, true)),
                base.withActivation(new Activation.Softplus(2)).withArchitecture(new Architecture(4, 2, true)),
                base.withActivation(new Activation.Gelu()).withArchitecture(new Architecture(4, 2, true)),
                base.withInputs(new InputLaw.StudentT(5)).withArchitecture(new Architecture(5, 2, true)),
                base.withInputs(new InputLaw.Rademacher()),
                base.withInputs(new InputLaw.Sphere()).withLabels(new LabelModel.GaussianNoise(0.3)));
    }

    @Test
    void fastPathAgreesWithReferenceInEverySetting() {
        for (Setting s : settings()) {
            for (long seed = 1; seed <= 3; seed++) {
                NetworkAudit a = audit(new NetworkKernel(), s, s.activation(), seed, 6);
                assertThat(a.agrees()).as(SettingJson.toJson(s) + " seed " + seed + ": " + a.worstQuantity()).isTrue();
                System.out.printf("A1 setting audit: %s K=%d seed %d worst |fast - ref| / bound = %.3g (%s)%n",
                        s.activation() + "/" + s.inputs().kind(), s.architecture().blocks(), seed, a.worstRatio(), a.worstQuantity());
                assertThat(a.checked()).isEqualTo(2L * 6 + 1 + (long) s.architecture().blocks() * s.d() * s.d());
            }
        }
    }

    /**
     * Property: random structure (d, B, K, activation, identity, law, seed) from QuickTheories; the audit agrees, and
     * the generated cases cover both activation states, K up to 3 and every activation (asserted).
     */
    @Test
    void auditAgreesOnGeneratedSettings() {
        List<Activation> acts = List.of(new Activation.Relu(), new Activation.LeakyRelu(0.2), new Activation.Softplus(3), new Activation.Gelu());
        List<InputLaw> laws = List.of(new InputLaw.StandardGaussian(), new InputLaw.Rademacher(), new InputLaw.StudentT(4.5), new InputLaw.Sphere());
        int[] active = new int[2];
        java.util.Set<String> seen = new java.util.HashSet<>();
        org.quicktheories.QuickTheory.qt().withExamples(40).forAll(
                org.quicktheories.generators.SourceDSL.integers().between(1, 6),
                org.quicktheories.generators.SourceDSL.integers().between(1, 7),
                org.quicktheories.generators.SourceDSL.integers().between(0, 95), // depth x activation x law x identity
                org.quicktheories.generators.SourceDSL.longs().all()).checkAssert((d, batch, pick, seed) -> {
                    int k = pick % 3 + 1;
                    Activation act = acts.get(pick / 3 % 4);
                    Setting s = Setting.ly17(d).withInit(new Init.Scaled(0.7)).withActivation(act)
                            .withArchitecture(new Architecture(d, k, pick / 48 == 0)).withInputs(laws.get(pick / 12 % 4));
                    NetworkAudit a = audit(new NetworkKernel(), s, act, seed, batch);
                    assertThat(a.agrees()).as(SettingJson.toJson(s) + " seed " + seed + ": " + a.worstQuantity()).isTrue();
                    SettingProblem sp = SettingProblem.random(s, seed);
                    double[] x = InputSampler.of(s.inputs(), d).stream(seed).batch(batch);
                    for (double h : new NetworkKernel().evaluate(s.architecture(), act, sp.w0(), sp.wStar(), x, batch, null).h().get(k - 1)) {
                        active[h > 0 ? 1 : 0]++;
                    }
                    seen.add(act.getClass().getSimpleName() + k);
                });
        assertThat(active[0]).as("inactive pre-activations generated").isGreaterThan(20);
        assertThat(active[1]).as("active pre-activations generated").isGreaterThan(20);
        assertThat(seen).as("activation x depth combinations generated").hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void aWrongLeakySlopeFailsTheAudit() {
        Setting s = Setting.ly17(5).withInit(new Init.Scaled(0.5)).withActivation(new Activation.LeakyRelu(0.1))
                .withArchitecture(new Architecture(5, 2, true));
        NetworkAudit a = audit(new NetworkKernel(), s, new Activation.LeakyRelu(0.1 + 1e-9), 1, 6);
        assertThat(a.agrees()).as(a.worstQuantity()).isFalse();
    }

    @Test
    void aDroppedBlockFailsTheAudit() {
        Setting s = Setting.ly17(5).withInit(new Init.Scaled(0.5)).withArchitecture(new Architecture(5, 3, true));
        NetworkAudit a = audit(new NetworkKernel(NetworkKernel.Mutation.DROP_LAST_BLOCK), s, s.activation(), 1, 6);
        assertThat(a.agrees()).as(a.worstQuantity()).isFalse();
    }

    @Test
    void aDroppedIdentityTermFailsTheAudit() {
        Setting s = Setting.ly17(5);
        NetworkAudit a = audit(new NetworkKernel(NetworkKernel.Mutation.DROP_IDENTITY), s, s.activation(), 1, 6);
        assertThat(a.agrees()).as(a.worstQuantity()).isFalse();
    }

    @Test
    void aSoftplusWithAnotherSharpnessFailsTheAudit() {
        Setting s = Setting.ly17(4).withInit(new Init.Scaled(0.5)).withActivation(new Activation.Softplus(2));
        NetworkAudit a = audit(new NetworkKernel(), s, new Activation.Softplus(2 * (1 + 1e-10)), 1, 6);
        assertThat(a.agrees()).as(a.worstQuantity()).isFalse();
    }
}
