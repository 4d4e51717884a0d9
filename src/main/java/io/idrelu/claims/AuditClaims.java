package io.idrelu.claims;

import io.idrelu.audit.AuditReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shared verdict logic of the accuracy claims A1..A3: every {@link AuditReport} is an exact
 * "observed <= bound" check; the claim HOLDS when all pass, is VIOLATED (with the worst case as
 * witness) when any fails. The decisive number is the largest observed/bound ratio (must be {@code <= 1}).
 */
final class AuditClaims {
    private AuditClaims() { }

    /** A1's a-priori gradient check against the exact mask: see proofs-notes/A1.md, "Findings". */
    static final String ALLOWANCE_DOMINATED = "gradientExactMask";

    /** One audited case: its reports and how to replay it. */
    record Case(List<AuditReport> reports, Map<String, Object> config, long seed) { }

    static ClaimResult result(String id, String statement, List<Case> cases, Map<String, Object> extra, long t0) {
        double worstRatio = 0;
        double allowanceRatio = 0;
        Replay worst = null;
        Verdict v = Verdict.HOLDS;
        long n = 0;
        List<Map<String, Object>> summary = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            for (AuditReport r : c.reports()) {
                n++;
                Map<String, Object> cfg = new LinkedHashMap<>(c.config());
                cfg.put("quantity", r.quantity());
                cfg.put("precision", r.precision());
                cfg.put("kernel", r.kernel());
                boolean fail = !r.passed();
                double ratio = Double.isNaN(r.maxRatio()) ? Double.POSITIVE_INFINITY : r.maxRatio();
                if (ALLOWANCE_DOMINATED.equals(r.quantity())) {
                    // at an allowed flip this bound's flip allowance is used in full, so its ratio is ~1 by
                    // construction; it still must pass, but the margin is read from the other quantities
                    allowanceRatio = Math.max(allowanceRatio, ratio);
                }
                boolean counts = fail || !ALLOWANCE_DOMINATED.equals(r.quantity());
                // the witness is the worst failing report if any failed, else the closest to its bound
                boolean firstFail = fail && v != Verdict.VIOLATED;
                if (firstFail || (counts && (fail || v == Verdict.HOLDS) && (worst == null || ratio > worstRatio))) {
                    worstRatio = ratio;
                    worst = new Replay(id, cfg, c.seed());
                }
                if (fail) {
                    v = Verdict.VIOLATED;
                    if (failures.size() < 10) {
                        failures.add(r.quantity() + "/" + r.precision() + "/" + r.kernel() + " d=" + r.d()
                                + " ratio=" + r.maxRatio() + " violations=" + r.violations() + " disallowedFlips="
                                + r.disallowedFlips() + " at " + r.worstIndex() + " fast=" + r.worstFast() + " exact="
                                + r.worstExact() + (r.notes().containsKey("failure") ? " " + r.notes().get("failure") : ""));
                    }
                }
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("quantity", r.quantity());
                s.put("precision", r.precision());
                s.put("kernel", r.kernel());
                s.put("d", r.d());
                s.put("batch", r.batch());
                s.put("maxRatio", Double.isFinite(r.maxRatio()) ? r.maxRatio() : Double.toString(r.maxRatio()));
                s.put("maxUlp", r.maxUlp());
                s.put("flips", r.flips());
                s.put("allowedFlips", r.allowedFlips());
                s.put("passed", r.passed());
                summary.add(s);
            }
        }
        Map<String, Object> details = new LinkedHashMap<>(extra);
        details.put("margin", "1 - max(observed/bound) over all elements of all quantities except "
                + ALLOWANCE_DOMINATED + " (which must pass too)");
        details.put(ALLOWANCE_DOMINATED + "MaxRatio", allowanceRatio);
        details.put("failures", failures);
        details.put("reports", summary);
        double secs = (System.nanoTime() - t0) / 1e9;
        String why = v == Verdict.HOLDS ? "" : failures.isEmpty() ? "a report failed its bound"
                : failures.size() + (failures.size() >= 10 ? "+" : "") + " failing, first: " + failures.get(0);
        // the ratio is dimensionless; the errors and bounds behind it are in true units
        return new ClaimResult(id, statement, v, worstRatio, 1.0, "<=", Units.NONE, 1 - worstRatio, Double.NaN,
                Double.NaN, n, worst, details, secs)
                .explained(Decisive.of("max |fast - exact|/bound", worstRatio, "<=", 1.0, Units.NONE), why);
    }

    static long sum(List<Case> cases, String quantity, java.util.function.ToLongFunction<AuditReport> f) {
        long s = 0;
        for (Case c : cases) {
            for (AuditReport r : c.reports()) {
                if (r.quantity().equals(quantity)) {
                    s += f.applyAsLong(r);
                }
            }
        }
        return s;
    }

    static long note(List<Case> cases, String quantity, String key) {
        long s = 0;
        for (Case c : cases) {
            for (AuditReport r : c.reports()) {
                if (r.quantity().equals(quantity) && r.notes().get(key) instanceof Number num) {
                    s += num.longValue();
                }
            }
        }
        return s;
    }
}
