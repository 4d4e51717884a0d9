package io.idrelu.claims.setting;

import io.idrelu.claims.C11SgdContractionInExpectation;
import io.idrelu.claims.C12PolynomialConvergence;
import io.idrelu.claims.C7PhaseOnePotentialDecrease;
import io.idrelu.claims.Claim;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Preset;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.setting.SettingCatalogue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: the survey behind the verdict tables of C7, C11, C12 under the done-when settings (proofs-notes and the
 * rates report), until {@code idrelu check --setting NAME} is wired. Usage, after {@code mvn -o test-compile package
 * -DskipTests}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/idrelu-0.1.0-SNAPSHOT-all.jar:target/test-classes \
 *     io.idrelu.claims.setting.RatesSurvey QUICK C7,C11,C12 all [details]
 * </pre>
 * One line per (setting, claim) on stdout: verdict, decisive number, reason; with {@code details}, the details too.
 * Seed 20171109 (the CLI's default), scalar kernel for [LY17]'s own path.
 */
public final class RatesSurvey {
    private RatesSurvey() { }

    public static void main(String[] args) {
        Preset preset = Preset.valueOf(args[0]);
        List<String> ids = Arrays.asList(args[1].split(","));
        List<String> names = args[2].equals("all") ? null : Arrays.asList(args[2].split(","));
        for (var named : SettingCatalogue.doneWhen(4)) {
            if (names != null && !names.contains(named.name())) {
                continue;
            }
            for (String id : ids) {
                Claim claim = switch (id) {
                    case "C7" -> new C7PhaseOnePotentialDecrease();
                    case "C11" -> new C11SgdContractionInExpectation();
                    case "C12" -> new C12PolynomialConvergence();
                    default -> throw new IllegalArgumentException("claim " + id + ": expected C7, C11 or C12");
                };
                ClaimContext ctx = ClaimContext.of(new ScalarKernel(), null, 20171109L, preset).withSetting(named.setting());
                long t0 = System.nanoTime();
                ClaimResult r = claim.run(ctx);
                System.out.printf(Locale.ROOT, "SURVEY %s %-10s %-4s %6.1fs %s | %s ; %s%n", preset, named.name(), id,
                        (System.nanoTime() - t0) / 1e9, r.verdict(), r.decisive().text(), r.reason());
                if (args.length > 3) {
                    r.details().forEach((k, v) -> {
                        if (!k.equals("series") && !k.equals("plot")) {
                            System.out.println("   " + k + " = " + v);
                        }
                    });
                }
                System.out.flush();
            }
        }
    }
}
