package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.idrelu.report.Sweep;
import io.idrelu.report.SweepConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sweep trial under a setting prints an {@code idrelu train} replay line (issue 11), and running it reproduces the
 * trial's trajectory bit for bit: train's {@code initial_population_loss} and {@code population_loss} have the same
 * 64 bits as the trial's {@code initial_loss} and {@code final_loss} (both the same function of the same weights, by
 * the same population route), and {@code steps_done} is {@code steps_run}. Eight trials over settings that exercise
 * every rendered option: leaky ReLU and GELU with label noise on a vanilla student (closed form, Monte Carlo), a
 * standardised data set with two blocks (finite law), a covariance (inline {@code --setting} JSON, closed form) and
 * Rademacher inputs with three blocks at two gammas (finite law).
 * Negative control: the same line with the seed changed does not reproduce the bits.
 */
class SweepTrialReplayTest {

    /** A trial from a sweep.json and where it came from. */
    private record Trial(String replay, double initialLoss, double finalLoss, int stepsRun) { }

    @Test
    void eightSettingTrialsReplayBitForBitThroughTrain(@TempDir Path tmp) throws Exception {
        // 2 + 2 + 1 + 1 trials from single-cell sweeps, and 2 from a two-cell Rademacher sweep below: 8
        Path cov = tmp.resolve("cov.json");
        Files.writeString(cov, "{\"architecture\": {\"d\": 3, \"blocks\": 1, \"identity\": true},"
                + " \"inputs\": {\"kind\": \"gaussian-cov\", \"sigma\": [[1, 0.3, 0], [0.3, 1, 0.2], [0, 0.2, 0.5]]}}");
        List<Trial> trials = new ArrayList<>();
        trials.addAll(sweep(tmp.resolve("a"), "--gamma", "0.3", "--d", "3", "--seeds", "2", "--steps", "120", "--batch", "8",
                "--activation", "leaky-relu:0.1", "--noise", "0.1", "--vanilla"));
        trials.addAll(sweep(tmp.resolve("g"), "--gamma", "0.3", "--d", "3", "--seeds", "2", "--steps", "120", "--batch", "8",
                "--activation", "gelu", "--noise", "0.1", "--vanilla"));
        trials.addAll(sweep(tmp.resolve("b"), "--gamma", "0.2", "--seeds", "1", "--steps", "60", "--batch", "8",
                "--inputs", "classpath:datasets/wine.csv", "--standardise", "--blocks", "2"));
        trials.addAll(sweep(tmp.resolve("c"), "--gamma", "0.4", "--seeds", "1", "--steps", "150", "--batch", "4",
                "--setting", cov.toString()));
        trials.addAll(sweep(tmp.resolve("r"), "--gamma", "0.2:0.5:2", "--d", "4", "--seeds", "1", "--steps", "80", "--batch", "4",
                "--law", "rademacher", "--blocks", "3"));
        assertThat(trials).hasSize(8);
        assertThat(trials).extracting(Trial::replay).anySatisfy(r -> assertThat(r).contains("--vanilla", "--noise 0.1", "leaky-relu:0.1"))
                .anySatisfy(r -> assertThat(r).contains("--activation gelu"))
                .anySatisfy(r -> assertThat(r).contains("--inputs classpath:datasets/wine.csv --standardise --blocks 2"))
                .anySatisfy(r -> assertThat(r).contains("--setting '{"))
                .anySatisfy(r -> assertThat(r).contains("--law rademacher --blocks 3"));
        for (Trial t : trials) {
            assertThat(t.replay()).startsWith("idrelu train ");
            JsonNode j = train(words(t.replay()));
            assertThat(Double.doubleToRawLongBits(j.path("initial_population_loss").asDouble())).as(t.replay())
                    .isEqualTo(Double.doubleToRawLongBits(t.initialLoss()));
            assertThat(Double.doubleToRawLongBits(j.path("population_loss").asDouble())).as(t.replay())
                    .isEqualTo(Double.doubleToRawLongBits(t.finalLoss()));
            assertThat(j.path("steps_done").asInt()).isEqualTo(t.stepsRun());
        }
        // negative control: another seed is another trajectory
        Trial t = trials.get(0);
        List<String> other = words(t.replay().replaceFirst("--seed (-?\\d+)", "--seed 12345"));
        assertThat(other).contains("12345");
        assertThat(Double.doubleToRawLongBits(train(other).path("population_loss").asDouble()))
                .isNotEqualTo(Double.doubleToRawLongBits(t.finalLoss()));
    }

    private static JsonNode train(List<String> words) throws Exception {
        List<String> args = new ArrayList<>(words.subList(1, words.size())); // drop "idrelu"
        // one trace row at the end (the rows do not touch the trajectory; each costs a population estimate)
        args.addAll(List.of("--json", "--every", "1000000"));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return Json.MAPPER.readTree(r.out());
    }

    /**
     * The trials of a sweep with these options, each with the {@code replay} of its sweep.json entry
     * ({@link io.idrelu.report.Sweep.Trial#toJson}). The sweep runs in-process through the command's own validation
     * and {@code Sweep.run}, without writing its report (the HTML and plots cost more than the trials).
     */
    private static List<Trial> sweep(Path out, String... opts) {
        SweepCommand cmd = new SweepCommand();
        List<String> a = new ArrayList<>(List.of("--threads", "1", "--kernel", "scalar", "--out", out.toString()));
        a.addAll(List.of(opts));
        new picocli.CommandLine(cmd).parseArgs(a.toArray(String[]::new));
        SweepConfig cfg = cmd.validate();
        List<Trial> trials = new ArrayList<>();
        for (Sweep.Cell c : Sweep.run(cfg, cmd.kernelOptions.doubleKernel(), null, 1, (cell, done, total) -> { })) {
            for (Sweep.Trial t : c.trials()) {
                JsonNode n = t.toJson(cfg, c.gamma(), c.d(), c.eta());
                trials.add(new Trial(n.get("replay").asText(), n.get("initial_loss").asDouble(), n.get("final_loss").asDouble(),
                        n.get("steps_run").asInt()));
            }
        }
        return trials;
    }

    /** Splits a command line as a POSIX shell does for bare words and single-quoted words. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (quoted) {
                if (ch == '\'') {
                    quoted = false;
                } else {
                    w.append(ch);
                }
            } else if (ch == '\'') {
                quoted = true;
                inWord = true;
            } else if (ch == ' ') {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(ch);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }
}
