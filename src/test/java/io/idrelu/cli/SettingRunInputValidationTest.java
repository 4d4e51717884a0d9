package io.idrelu.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad setting options on {@code train}, {@code eval} and {@code audit} (issue 11): each case exits 2 with one
 * {@code error:} line on stderr that names the value and what was expected, no stack trace, nothing on stdout, and
 * (train) no trace file. The {@code --init gamma:G} wording is the same as {@code check}'s. Negative control: a valid
 * setting run with the same options otherwise exits 0 (so the refusals are the options', not the harness's).
 */
class SettingRunInputValidationTest {

    @TempDir
    static Path tmp;
    static Path badCsv;
    static Path raggedCsv;
    static Path fixture;
    static Path badJson;

    @BeforeAll
    static void files() throws Exception {
        badCsv = Files.writeString(tmp.resolve("bad.csv"), "a,b,c\n1,2,3\n4,x,6\n");
        raggedCsv = Files.writeString(tmp.resolve("ragged.csv"), "1,2,3\n4,5\n");
        fixture = Files.writeString(tmp.resolve("f.json"), "{\"d\": 2, \"identity\": true, \"W\": [[0.1, -0.2], [0.3, 0.05]],"
                + " \"Wstar\": [[-0.1, 0.2], [0.1, 0.4]], \"X\": [[1, -0.5], [0.25, 2], [-1, -1]]}");
        badJson = Files.writeString(tmp.resolve("bad-setting.json"), "{\"architecture\": {\"d\": 3}, \"activation\": {\"kind\": \"tanh\"}}");
    }

    /** One refused command line and the fragments its message must contain. */
    private record Case(List<String> args, List<String> expected) {
        static Case of(String args, String... expected) {
            return new Case(Arrays.asList(args.split(" ")), List.of(expected));
        }
    }

    private static final String TRAIN = "train --d 3 --steps 5 --eta 0.1 ";

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // values of the setting options
        c.add(Case.of(TRAIN + "--activation tanh", "--activation tanh", "expected relu, leaky-relu:A, softplus:B or gelu"));
        c.add(Case.of(TRAIN + "--activation leaky-relu:abc", "--activation leaky-relu:abc", "'abc' is not a number", "leaky-relu:A"));
        c.add(Case.of(TRAIN + "--activation leaky-relu:2", "--activation leaky-relu:2", "expected"));
        c.add(Case.of(TRAIN + "--activation softplus:0", "--activation softplus:0", "expected"));
        c.add(Case.of(TRAIN + "--noise -0.1", "--noise -0.1", "expected a noise level SIGMA >= 0"));
        c.add(Case.of(TRAIN + "--noise NaN", "--noise NaN", "'NaN' is not a number"));
        c.add(Case.of(TRAIN + "--blocks 0", "--blocks 0", "expected an integer 1 <= K <="));
        c.add(Case.of(TRAIN + "--blocks two", "--blocks two", "expected an integer 1 <= K <="));
        c.add(Case.of(TRAIN + "--law cauchy", "--law cauchy", "expected gaussian, student-t:NU (NU > 2), rademacher or sphere"));
        c.add(Case.of(TRAIN + "--law student-t:2", "--law student-t:2", "expected"));
        c.add(Case.of(TRAIN + "--init foo:1", "--init foo:1", "expected gamma:G (spectral norm) or scaled:C"));
        c.add(Case.of(TRAIN + "--init scaled:-1", "--init scaled:-1", "expected"));
        c.add(Case.of(TRAIN + "--setting nosuch", "--setting nosuch: no such file and no such name", "expected FILE.json or one of"));
        c.add(Case.of(TRAIN + "--setting " + badJson, "--setting " + badJson, "tanh"));
        c.add(Case.of(TRAIN + "--setting {bad", "--setting {bad", "not valid JSON at line 1, column 2"));
        // data sets: file, row and column named
        c.add(Case.of(TRAIN + "--inputs " + tmp.resolve("missing.csv"), "missing.csv: no such file", "expected a readable .csv or .npy file"));
        c.add(Case.of(TRAIN + "--inputs " + badCsv, "bad.csv line 3, column 2: 'x' is not a number"));
        c.add(Case.of(TRAIN + "--inputs " + raggedCsv, "ragged.csv line 2: 2 fields != 3 in the first row"));
        c.add(Case.of(TRAIN + "--inputs classpath:datasets/wine.csv", "--d 3: the inputs", "fix d = 13: expected --d 13"));
        c.add(Case.of(TRAIN + "--standardise", "--standardise given without a data set", "expected --inputs FILE"));
        c.add(Case.of(TRAIN + "--law gaussian --inputs " + badCsv, "--law gaussian and --inputs", "both set the input law: expected one of them"));
        // combinations that make no sense under a setting
        c.add(Case.of(TRAIN + "--activation gelu --precision float", "--precision float under the setting gelu",
                "the float setting kernel does not exist", "expected --precision double"));
        c.add(Case.of(TRAIN + "--init gamma:0.5 --gamma 0.4", "--init gamma:0.5 and --gamma 0.4 both set the scale of W0 and W*", "expected one of them"));
        c.add(Case.of("audit --kernel-class a.B --classpath x.jar --activation gelu", "--kernel-class under the setting gelu",
                "expected no setting options with --kernel-class"));
        c.add(Case.of("audit --d 3 --activation gelu --precision float", "--precision float under the setting gelu", "float setting kernel does not exist"));
        c.add(Case.of("audit --d 3 --activation gelu --precision both", "--precision float under the setting gelu"));
        c.add(Case.of("audit --fixture " + fixture + " --blocks 2", "--blocks 2 with --fixture", "a fixture holds one block", "expected --blocks 1"));
        c.add(Case.of("audit --fixture " + fixture + " --vanilla", "--vanilla with --fixture", "whose \"identity\" is true"));
        c.add(Case.of("eval --fixture " + fixture + " --quantity batch --noise 0.1", "--noise 0.1 with --quantity batch",
                "a fixture holds no label-noise draws", "expected --quantity population"));
        c.add(Case.of("eval --fixture " + fixture + " --quantity population --activation gelu", "--quantity population under the setting gelu",
                "Monte Carlo", "expected --quantity forward or batch"));
        c.add(Case.of("eval --fixture " + fixture + " --quantity batch --activation gelu --path fast --precision float",
                "--precision float under the setting gelu", "float setting kernel does not exist"));
        c.add(Case.of("eval --fixture " + fixture + " --quantity batch --inputs classpath:datasets/wine.csv",
                "d = 2, but the inputs", "fix d = 13: expected a fixture of dimension 13"));
        c.add(Case.of("eval --fixture " + fixture + " --quantity batch --init gamma:0.5", "--init gamma:0.5 with --fixture", "expected no --init"));
        return c;
    }

    @Test
    void everyBadSettingInputExitsTwoWithOneLineNamingValueAndExpectation() {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
        for (Case k : cases) {
            Path trace = tmp.resolve("trace-" + Math.abs(k.args().hashCode()) + ".csv");
            List<String> args = new ArrayList<>(k.args());
            if (args.get(0).equals("train")) {
                args.addAll(List.of("--trace", trace.toString()));
            }
            CliRun r = CliRun.of(args.toArray(String[]::new));
            String what = String.join(" ", args) + "\nstderr: " + r.err();
            assertThat(r.exit()).as(what).isEqualTo(2);
            assertThat(r.out()).as(what).isEmpty();
            assertThat(r.err().strip().lines()).as(what).hasSize(1);
            assertThat(r.err()).as(what).contains("error:").doesNotContain("Exception").doesNotContain("\tat ");
            for (String e : k.expected()) {
                assertThat(r.err()).as(what).contains(e);
            }
            assertThat(trace).as(what).doesNotExist();
        }
    }

    @Test
    void initWordingIsTheSameForCheckAndTrain() {
        for (String v : new String[] {"gamma:abc", "gamma:-1", "foo:1"}) {
            CliRun check = CliRun.of("check", "--init", v, "--activation", "gelu", "--claims", "C1");
            CliRun train = CliRun.of("train", "--d", "3", "--steps", "5", "--eta", "0.1", "--init", v);
            assertThat(check.exit()).isEqualTo(2);
            assertThat(train.exit()).isEqualTo(2);
            String c = check.err().strip().replaceFirst("^idrelu check: error: ", "");
            assertThat(train.err().strip()).isEqualTo("idrelu train: error: " + c);
        }
    }

    /** Negative control: the same kinds of options, valid, run (exit 0) and print. */
    @Test
    void validSettingRunsSucceed() {
        for (String args : new String[] {
                TRAIN + "--activation leaky-relu:0.1 --blocks 2 --noise 0.1 --json",
                TRAIN + "--init gamma:0.5 --activation gelu --json",
                "audit --d 3 --seed 2 --activation leaky-relu:0.1 --json",
                "eval --fixture " + fixture + " --quantity population --activation leaky-relu:0.1 --noise 0.1",
                "eval --fixture " + fixture + " --quantity batch --activation gelu --path fast"}) {
            CliRun r = CliRun.of(args.split(" "));
            assertThat(r.exit()).as(args + "\n" + r.err()).isZero();
            assertThat(r.out()).as(args).isNotEmpty();
        }
    }
}
