package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code train}, {@code eval} and {@code audit} under setting options (issue 11).
 * <ul>
 *   <li>[LY17]'s setting given as options ({@code --setting ly17}, {@code --activation relu --blocks 1 --noise 0},
 *       {@code --init gamma:G} for {@code --gamma G}) prints today's JSON, timing fields aside; control: another gamma
 *       differs.</li>
 *   <li>eval: leaky ReLU with slope 0 is ReLU as a function, and both reference paths are exact for piecewise-linear
 *       activations, so its batch values equal [LY17]'s digit for digit; control: slope 0.01 differs. The fast
 *       closed form lies within its printed error bound of the reference.</li>
 *   <li>audit: the generic kernel passes A1-A3 under leaky ReLU with two blocks; control: a kernel that drops the
 *       identity term fails A1.</li>
 *   <li>train: fast and reference paths stay within rounding of each other (path both).</li>
 * </ul>
 */
class RunUnderSettingTest {

    private static JsonNode json(String... args) throws Exception {
        CliRun r = CliRun.of(args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return Json.MAPPER.readTree(r.out());
    }

    /** The object without timing fields (they differ run to run). */
    private static String untimed(JsonNode n) {
        ObjectNode o = n.deepCopy();
        Iterator<String> it = o.fieldNames();
        List<String> drop = new java.util.ArrayList<>();
        it.forEachRemaining(k -> {
            if (k.contains("seconds") || k.equals("warmup_steps") || k.equals("steady_steps")) {
                drop.add(k);
            }
        });
        o.remove(drop);
        return Json.write(o);
    }

    private static final String[] TRAIN = {"train", "--d", "5", "--batch", "8", "--steps", "60", "--eta", "0.05", "--seed", "4", "--json"};

    private static String[] with(String[] base, String... more) {
        String[] a = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, a, base.length, more.length);
        return a;
    }

    @Test
    void ly17GivenAsOptionsPrintsTodaysOutput() throws Exception {
        String today = untimed(json(TRAIN));
        assertThat(untimed(json(with(TRAIN, "--setting", "ly17")))).isEqualTo(today);
        assertThat(untimed(json(with(TRAIN, "--activation", "relu", "--blocks", "1", "--noise", "0", "--law", "gaussian")))).isEqualTo(today);
        assertThat(untimed(json(with(TRAIN, "--init", "gamma:0.45")))).isEqualTo(untimed(json(with(TRAIN, "--gamma", "0.45"))));
        assertThat(untimed(json(with(TRAIN, "--setting", "ly17", "--vanilla")))).isEqualTo(untimed(json(with(TRAIN, "--vanilla"))));
        // control: the comparison sees a change of gamma
        assertThat(untimed(json(with(TRAIN, "--init", "gamma:0.45")))).isNotEqualTo(today);
    }

    @Test
    void evalLeakyWithSlopeZeroIsReluExactly(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("f.json"), "{\"d\": 3, \"identity\": true,"
                + " \"W\": [[0.1, -0.2, 0.3], [0.3, 0.05, -0.4], [\"0.7\", 0.2, -0.1]],"
                + " \"Wstar\": [[-0.1, 0.2, 0], [0.1, 0.4, 0.2], [0.3, -0.3, 0.1]],"
                + " \"X\": [[1, -0.5, 2], [0.25, 2, -1], [-1, -1, 0.5], [3, 0.1, -0.2]]}");
        for (String q : new String[] {"forward", "batch"}) {
            JsonNode relu = json("eval", "--fixture", f.toString(), "--quantity", q);
            JsonNode leaky0 = json("eval", "--fixture", f.toString(), "--quantity", q, "--activation", "leaky-relu:0");
            JsonNode leaky = json("eval", "--fixture", f.toString(), "--quantity", q, "--activation", "leaky-relu:0.01");
            for (String key : q.equals("forward") ? new String[] {"outputs", "residuals"} : new String[] {"loss", "grad"}) {
                assertThat(sameNumbers(leaky0.get(key), relu.get(key))).as(q + " " + key).isTrue();
                assertThat(sameNumbers(leaky.get(key), relu.get(key))).as("control " + q + " " + key).isFalse();
            }
            assertThat(leaky0.get("exact").asBoolean()).isTrue();
        }
        JsonNode fast = json("eval", "--fixture", f.toString(), "--quantity", "population", "--path", "fast", "--activation", "leaky-relu:0.2", "--noise", "0.3");
        JsonNode ref = json("eval", "--fixture", f.toString(), "--quantity", "population", "--activation", "leaky-relu:0.2", "--noise", "0.3");
        BigDecimal err = new BigDecimal(fast.get("loss").asText()).subtract(new BigDecimal(ref.get("loss").asText())).abs();
        assertThat(err).isLessThanOrEqualTo(new BigDecimal(fast.get("loss_error_bound").asText()));
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                BigDecimal e = new BigDecimal(fast.get("grad").get(r).get(c).asText()).subtract(new BigDecimal(ref.get("grad").get(r).get(c).asText())).abs();
                assertThat(e).isLessThanOrEqualTo(new BigDecimal(fast.get("grad_error_bound").get(r).get(c).asText()));
            }
        }
    }

    /** Equal decimal values (BigDecimal compareTo: the printed scales may differ), element by element. */
    private static boolean sameNumbers(JsonNode a, JsonNode b) {
        if (a.isArray()) {
            if (!b.isArray() || a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameNumbers(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText())) == 0;
    }

    @Test
    void auditPassesUnderASettingAndFailsWithABrokenKernel() throws Exception {
        JsonNode ok = json("audit", "--d", "3", "--seed", "5", "--activation", "leaky-relu:0.1", "--blocks", "2", "--json");
        assertThat(ok.get("passed").asBoolean()).isTrue();
        assertThat(ok.get("checks")).extracting(c -> c.get("claim").asText()).containsExactly("A1", "A1", "A1", "A3");
        JsonNode cf = json("audit", "--d", "3", "--seed", "5", "--activation", "leaky-relu:0.1", "--json");
        assertThat(cf.get("checks")).extracting(c -> c.get("claim").asText()).contains("A2");
        assertThat(cf.get("passed").asBoolean()).isTrue();

        Setting s = Setting.ly17(3, 0.5).withActivation(new Activation.LeakyRelu(0.1))
                .withArchitecture(new io.idrelu.setting.Architecture(3, 2, true));
        AuditUnderSetting broken = new AuditUnderSetting(s, SettingProblem.random(s, 5), 5, null, 0, "control",
                new NetworkKernel(NetworkKernel.Mutation.DROP_IDENTITY), io.idrelu.kernel.KernelProvider.doubleKernel(io.idrelu.kernel.KernelProvider.Choice.SCALAR));
        List<AuditUnderSetting.Check> checks = broken.checks();
        assertThat(checks.stream().filter(c -> c.claim().equals("A1"))).allMatch(c -> !c.passed());
        java.io.StringWriter w = new java.io.StringWriter();
        assertThat(broken.print(checks, false, new java.io.PrintWriter(w))).isEqualTo(1);
        assertThat(w.toString()).contains("FAIL", "BOUND EXCEEDED");
    }

    @Test
    void trainFastAndReferenceAgreeUnderASetting() throws Exception {
        JsonNode j = json("train", "--d", "3", "--batch", "4", "--steps", "25", "--eta", "0.05", "--seed", "2", "--path", "both",
                "--activation", "leaky-relu:0.1", "--blocks", "2", "--noise", "0.1", "--json");
        assertThat(j.get("setting_label").asText()).contains("leaky-relu(0.1)", "blocks=2");
        assertThat(j.get("population_route").asText()).isEqualTo("monte_carlo");
        // 25 steps of a few hundred roundings each at u = 1.1e-16 on weights of order 1: far below 1e-12
        assertThat(j.get("max_divergence_fro").asDouble()).isLessThan(1e-12);
        assertThat(j.get("steps_done").asInt()).isEqualTo(25);
    }

    /**
     * {@code --kernel vector} under a setting runs the generic vector kernel (VectorNetworkKernel), bit-identical to
     * the scalar one: train's trajectory (d = 17 so the lanes run, GELU with three blocks) gives the same bits on both,
     * and each output names its kernel. Control: another seed differs.
     */
    @Test
    void vectorAndScalarSettingKernelsGiveTheSameBits() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.idrelu.setting.NetworkKernels.vectorAvailable(),
                "vector module absent");
        String[] base = {"train", "--d", "17", "--batch", "6", "--steps", "30", "--eta", "0.02", "--seed", "4", "--json",
                "--activation", "gelu", "--blocks", "3", "--every", "1000"};
        JsonNode scalar = json(with(base, "--kernel", "scalar"));
        JsonNode vector = json(with(base, "--kernel", "vector"));
        assertThat(scalar.get("kernel").asText()).isEqualTo("network-scalar");
        assertThat(vector.get("kernel").asText()).isEqualTo("network-vector");
        ObjectNode a = (ObjectNode) Json.MAPPER.readTree(untimed(scalar));
        ObjectNode b = (ObjectNode) Json.MAPPER.readTree(untimed(vector));
        a.remove("kernel");
        b.remove("kernel");
        assertThat(Json.write(b)).isEqualTo(Json.write(a));
        base[10] = "5";
        JsonNode other = json(with(base, "--kernel", "vector"));
        assertThat(other.get("population_loss").asDouble()).isNotEqualTo(vector.get("population_loss").asDouble());
    }
}
