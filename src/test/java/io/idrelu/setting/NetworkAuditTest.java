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
