package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Claim;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.report.FakeClaims;
import io.idrelu.report.Report;
import io.idrelu.report.ReportDiff;
import io.idrelu.report.Table;
import io.idrelu.setting.Activation;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code idrelu check} under a setting (issue 11) with fake claims: the setting reaches every claim's context, a claim
 * not defined there is NOT_APPLICABLE with its reason (not run, never exit 1), the setting is in report.json, the
 * journal and the replay files only when it is not [LY17]'s, resume/merge/replay honour it, every bad setting option
 * exits 2 before any file, and {@code diff} calls HOLDS -> NOT_APPLICABLE a change, not a worsening.
 */
class CheckUnderSettingTest {
    @TempDir
    Path tmp;

    /** Settings each fake ran under (claim id, Applicability label). */
    static final ConcurrentLinkedQueue<String[]> SEEN = new ConcurrentLinkedQueue<>();

    /** Runs under every setting; its number depends on the setting's activation (so a replay without it differs). */
    static final class Everywhere implements Claim {
        @Override
        public String id() {
            return "G1";
        }

        @Override
        public String statement() {
            return "fake claim defined under every setting";
        }

        @Override
        public Optional<String> applicability(Setting s) {
            return Optional.empty();
        }

        @Override
        public ClaimResult run(ClaimContext ctx) {
            SEEN.add(new String[] {id(), io.idrelu.claims.Applicability.label(ctx.setting())});
            double slope = ctx.setting().activation() instanceof Activation.LeakyRelu l ? l.a() : 0;
            double measured = 0.25 + slope + 1e-3 * (ctx.seed() % 97);
            return new ClaimResult(id(), statement(), Verdict.HOLDS, measured, 1, "<=", Units.NONE, 1 - measured,
                    Double.NaN, Double.NaN, 1, null, Map.of("d", ctx.dimensionFixed() ? ctx.setting().d() : ctx.settingAt(5).d()), 0);
        }
    }

    /** The default applicability: only under [LY17]. */
    static final class Ly17Only implements Claim {
        @Override
        public String id() {
            return "G2";
        }

        @Override
        public String statement() {
            return "fake claim of [LY17] only";
        }

        @Override
        public ClaimResult run(ClaimContext ctx) {
            SEEN.add(new String[] {id(), io.idrelu.claims.Applicability.label(ctx.setting())});
            return new ClaimResult(id(), statement(), Verdict.HOLDS, 0.5, 1, "<=", Units.NONE, 0.5,
                    Double.NaN, Double.NaN, 1, null, Map.of(), 0);
        }
    }

    @BeforeEach
    void fakes() {
        SEEN.clear();
        FakeClaims.reset();
        CheckCommand.catalogue = FakeClaims.catalogue(List.of(Everywhere::new, Ly17Only::new));
    }

    @AfterEach
    void registry() {
        CheckCommand.catalogue = io.idrelu.report.ClaimCatalogue.REGISTRY;
    }

    private static CliRun check(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("check", "--preset", "quick", "--kernel", "scalar", "--threads", "1",
                "--out", out.toString()));
        a.addAll(List.of(more));
        return CliRun.of(a.toArray(String[]::new));
    }

    private static JsonNode json(Path file) throws IOException {
        return Json.MAPPER.readTree(Files.readString(file));
    }

    @Test
    void aClaimNotDefinedUnderTheSettingIsNotApplicableWithItsReasonAndNotRun() throws IOException {
        Path out = tmp.resolve("leaky");
        CliRun r = check(out, "--setting", "leaky");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Setting: leaky-relu(0.1) (leaky-relu(0.1), inputs gaussian");
        assertThat(r.out()).containsPattern("G1 +HOLDS").containsPattern("G2 +n/a +not run under this setting")
                .contains("why: G2 has no check under this setting yet (only under [LY17]'s)");
        assertThat(r.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Table.WIDTH));
        assertThat(SEEN).extracting(s -> s[0] + "@" + s[1]).containsExactly("G1@leaky-relu(0.1)");
        JsonNode rep = json(out.resolve(Report.JSON_FILE));
        assertThat(SettingJson.fromJson(rep.path("configuration").path("setting")))
                .isEqualTo(Setting.ly17(8).withActivation(new Activation.LeakyRelu(0.1)));
        assertThat(rep.path("summary").path("not_applicable").asInt()).isEqualTo(1);
        assertThat(rep.path("summary").path("holds").asInt()).isEqualTo(1);
        JsonNode g2 = rep.path("results").get(1);
        assertThat(g2.path("verdict").asText()).isEqualTo("NOT_APPLICABLE");
        assertThat(g2.path("details").path("setting").asText()).isEqualTo("leaky-relu(0.1)");
        assertThat(json(out.resolve("replay/G1.json")).path("config").path("setting").path("activation").path("a").asDouble())
                .isEqualTo(0.1);
        assertThat(Files.readAllLines(out.resolve("journal.jsonl")).get(0)).contains("\"setting\"", "leaky-relu");
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("Setting: leaky-relu(0.1)", "class=\"verdict NOT_APPLICABLE\"", "1 NOT_APPLICABLE");
        assertThat(out.resolve("plots/trajectory-loss.svg")).as("[LY17] figures are not drawn under another setting").doesNotExist();
        // --json prints the same report, and the wide table keeps the setting line
        assertThat(check(tmp.resolve("w"), "--setting", "leaky", "--wide").out()).startsWith("Setting: leaky-relu(0.1)")
                .containsPattern("G2 .*n/a");
    }

    @Test
    void ly17FilesNameNoSettingAndEveryClaimRuns() throws IOException {
        Path out = tmp.resolve("ly17");
        CliRun r = check(out);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("ID ").doesNotContain("Setting:", "n/a");
        JsonNode rep = json(out.resolve(Report.JSON_FILE));
        assertThat(rep.path("configuration").has("setting")).isFalse();
        assertThat(json(out.resolve("replay/G1.json")).path("config").has("setting")).isFalse();
        assertThat(Files.readAllLines(out.resolve("journal.jsonl")).get(0)).doesNotContain("setting");
        assertThat(SEEN).extracting(s -> s[0] + "@" + s[1]).containsExactlyInAnyOrder("G1@ly17", "G2@ly17");
        // naming [LY17]'s setting explicitly writes the same files
        Path named = tmp.resolve("named");
        assertThat(check(named, "--setting", "ly17", "--activation", "relu").exit()).isZero();
        assertThat(Report.deterministic(json(named.resolve(Report.JSON_FILE)))).isEqualTo(Report.deterministic(rep));
        assertThat(Files.readString(named.resolve("replay/G1.json"))).isEqualTo(Files.readString(out.resolve("replay/G1.json")));
    }

    @Test
    void resumeAndMergeRefuseAnotherSettingAndReplayRebuildsIt() throws IOException {
        Path out = tmp.resolve("r");
        assertThat(check(out, "--setting", "leaky").exit()).isZero();
        CliRun other = check(out, "--setting", "gelu", "--resume");
        assertThat(other.exit()).as(other.err()).isEqualTo(2);
        assertThat(other.err()).contains("different configuration", "configuration.setting.activation");
        CliRun ly = check(out, "--resume");
        assertThat(ly.exit()).isEqualTo(2);
        assertThat(ly.err()).contains("configuration.setting (now vs journal: missing on one side)");
        // control: the same setting resumes
        assertThat(check(out, "--setting", "leaky", "--resume").exit()).isZero();

        // replay rebuilds the setting: identical; with the slope edited the number differs
        Path replay = out.resolve("replay/G1.json");
        CliRun rep = CliRun.of("replay", replay.toString());
        assertThat(rep.exit()).as(rep.err()).isZero();
        assertThat(rep.out()).contains("Setting: leaky-relu(0.1)", "identical to the stored result");
        ObjectNode edited = (ObjectNode) json(replay);
        ((ObjectNode) edited.path("config").path("setting").path("activation")).put("a", 0.2);
        Path e = Files.writeString(tmp.resolve("edited.json"), Json.write(edited));
        CliRun diff = CliRun.of("replay", e.toString());
        assertThat(diff.exit()).isEqualTo(3);
        assertThat(diff.err()).contains("DIFFERS");
        // replay of the NOT_APPLICABLE unit: not run again, identical
        CliRun na = CliRun.of("replay", out.resolve("replay/G2.json").toString());
        assertThat(na.exit()).as(na.err()).isZero();
        assertThat(na.out()).contains("n/a", "identical");
        assertThat(SEEN.stream().filter(s -> s[0].equals("G2"))).isEmpty();

        // merge: shards of two settings are refused
        Path s1 = tmp.resolve("s1");
        Path s2 = tmp.resolve("s2");
        assertThat(check(s1, "--setting", "leaky", "--shard", "1/2").exit()).isZero();
        assertThat(check(s2, "--setting", "gelu", "--shard", "2/2").exit()).isZero();
        CliRun m = CliRun.of("merge", "--out", tmp.resolve("m").toString(), s1.toString(), s2.toString());
        assertThat(m.exit()).isEqualTo(2);
        assertThat(m.err()).contains("configurations differ", "setting");
        Path s2b = tmp.resolve("s2b");
        assertThat(check(s2b, "--setting", "leaky", "--shard", "2/2").exit()).isZero();
        CliRun ok = CliRun.of("merge", "--out", tmp.resolve("m2").toString(), s1.toString(), s2b.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("Setting: leaky-relu(0.1)");
    }

    @Test
    void dataInputsFixTheDimensionAndRelativePathsBecomeAbsolute() throws IOException {
        Path csv = Files.writeString(tmp.resolve("d.csv"), "a,b,c\n1,2,3\n2,1,0\n0,0,1\n5,1,2\n");
        Path out = tmp.resolve("data");
        CliRun r = check(out, "--inputs", csv.toString(), "--standardise", "--claims", "G1");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = json(out.resolve(Report.JSON_FILE)).path("configuration").path("setting");
        assertThat(s.path("architecture").path("d").asInt()).isEqualTo(3);
        assertThat(s.path("inputs").path("path").asText()).isEqualTo(csv.toAbsolutePath().normalize().toString());
        assertThat(s.path("inputs").path("standardise").asBoolean()).isTrue();
        assertThat(json(out.resolve(Report.JSON_FILE)).path("results").get(0).path("details").path("d").asInt())
                .as("the data fixes d").isEqualTo(3);
        // composition: --setting gives the base, each option replaces its part
        Path wine = tmp.resolve("wine");
        assertThat(check(wine, "--setting", "wine", "--activation", "gelu", "--claims", "G1").exit()).isZero();
        Setting w = SettingJson.fromJson(json(wine.resolve(Report.JSON_FILE)).path("configuration").path("setting"));
        assertThat(w.activation()).isEqualTo(new Activation.Gelu());
        assertThat(w.d()).isEqualTo(13);
        assertThat(io.idrelu.claims.Applicability.label(w)).isEqualTo("gelu, dataset(wine.csv, whitened)");
    }

    @Test
    void everyBadSettingOptionExitsTwoBeforeAnyFileNamingTheValue() throws IOException {
        Path out = tmp.resolve("never");
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"architecture\": {\"d\": 4}, \"activation\": {\"kind\": \"tanh\"}}");
        Path ragged = Files.writeString(tmp.resolve("ragged.csv"), "1,2,3\n4,5\n");
        // {arguments separated by '|'}, then the texts the one-line message must contain
        String[][] cases = {
            {"--setting|nosuch", "--setting nosuch: no such file and no such name", "ly17, student-t, wine, leaky, gelu, blocks3, noise"},
            {"--setting|" + bad, "activation.kind = \"tanh\"", "expected one of relu, leaky-relu, softplus, gelu"},
            {"--activation|tanh", "--activation tanh: expected relu, leaky-relu:A, softplus:B or gelu"},
            {"--activation|leaky-relu:2", "--activation leaky-relu:2: activation.a = 2.0", "-1 <= a <= 1"},
            {"--activation|leaky-relu:x", "'x' is not a number", "leaky-relu:A"},
            {"--activation|softplus:0", "--activation softplus:0: activation.b = 0.0", "> 0"},
            {"--law|cauchy", "--law cauchy: expected gaussian, student-t:NU", "rademacher or sphere"},
            {"--law|student-t:2", "--law student-t:2: inputs.nu = 2.0", "nu > 2"},
            {"--law|student-t:NaN", "'NaN' is not a number", "student-t:NU"},
            {"--blocks|0", "--blocks 0: expected an integer 1 <= K <= 64"},
            {"--blocks|x", "--blocks x: expected an integer"},
            {"--noise|-1", "--noise -1: expected a noise level SIGMA >= 0"},
            {"--noise|Infinity", "'Infinity' is not a number", "SIGMA"},
            {"--init|gamma:-1", "--init gamma:-1: init.gamma = -1.0", ">= 0"},
            {"--init|width:3", "--init width:3: expected gamma:G", "scaled:C"},
            {"--init|gamma:0.5", "with an otherwise [LY17] setting", "another departure"},
            {"--whiten", "--whiten given without a data set", "--inputs FILE"},
            {"--inputs|" + tmp.resolve("missing.csv"), "missing.csv: no such file", ".csv or .npy"},
            {"--inputs|" + ragged, "ragged.csv", "line 2"},
            {"--inputs|classpath:datasets/wine.csv|--law|sphere", "both set the input law"},
            {"--setting|gelu|--precision|float", "--precision float with --setting gelu", "expected --precision double"},
            {"--setting|gelu|--kernel-class|x.Y", "--kernel-class x.Y with --setting gelu", "[LY17]'s ReLU network only"},
        };
        for (String[] c : cases) {
            String[] args = c[0].split("\\|");
            CliRun r = check(out, args);
            String what = String.join(" ", args) + ": " + r.err();
            assertThat(r.exit()).as(what).isEqualTo(2);
            assertThat(r.out()).as(what).isEmpty();
            assertThat(r.err()).as(what).contains(List.of(c).subList(1, c.length)).doesNotContain("\tat ");
            assertThat(r.err().strip().lines().count()).as(what + ": one line").isEqualTo(1);
        }
        assertThat(out).doesNotExist();
        assertThat(SEEN).as("no claim ran").isEmpty();
        // control: a valid setting runs and writes the report
        assertThat(check(out, "--law", "student-t:5", "--blocks", "2", "--noise", "0.1", "--init", "scaled:0.5").exit()).isZero();
        Setting s = SettingJson.fromJson(json(out.resolve(Report.JSON_FILE)).path("configuration").path("setting"));
        assertThat(io.idrelu.claims.Applicability.label(s)).isEqualTo("student-t(5), blocks=2, noise(0.1), init scaled(0.5)");
    }

    @Test
    void helpTeachesTheWorkedExampleAndTheCompositionRule() {
        CliRun r = CliRun.of("check", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("idrelu check --inputs classpath:datasets/wine.csv --whiten",
                "--setting wine --activation gelu", "--activation", "relu|leaky-relu:A|softplus:B|gelu", "--law", "--blocks",
                "--noise", "--init", "--vanilla", "NOT_APPLICABLE");
    }

    @Test
    void diffCallsHoldsToNotApplicableAChangeNotAWorsening() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertThat(check(a).exit()).isZero();
        assertThat(check(b, "--setting", "leaky").exit()).isZero();
        ReportDiff d = new ReportDiff(json(a.resolve(Report.JSON_FILE)), json(b.resolve(Report.JSON_FILE)));
        assertThat(d.rows()).extracting(ReportDiff.Row::change)
                .containsExactly(ReportDiff.Change.NUMBER_CHANGED, ReportDiff.Change.APPLICABILITY);
        assertThat(d.anyWorse()).isFalse();
        CliRun r = CliRun.of("diff", a.toString(), b.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("n/a change", "a change, not a worsening", "setting leaky-relu(0.1)",
                "first at setting (missing on one side)");
        // control: the other way round is not an improvement either, and HOLDS -> VIOLATED still worsens
        assertThat(new ReportDiff(json(b.resolve(Report.JSON_FILE)), json(a.resolve(Report.JSON_FILE))).rows().get(1).change())
                .isEqualTo(ReportDiff.Change.APPLICABILITY);
    }

    @Test
    void tableRowOfANotApplicableResultShowsNoNumbers() throws IOException {
        Path out = tmp.resolve("t");
        assertThat(check(out, "--setting", "blocks3").exit()).isZero();
        JsonNode rep = json(out.resolve(Report.JSON_FILE));
        String row = Table.render(rep).lines().filter(l -> l.startsWith("G2")).findFirst().orElseThrow();
        assertThat(row).doesNotContain("HOLDS").contains("n/a", "not run under this setting");
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).contains("report.json", "report.html", "replay");
        }
    }
}
