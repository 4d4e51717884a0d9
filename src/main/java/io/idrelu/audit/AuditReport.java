package io.idrelu.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Agreement of one fast-path quantity with the exact reference (claims A1..A3). Plain fields, lists and
 * maps only, so it serialises to JSON as is ({@link #toMap()} gives an ordered map for hand-rolled writers).
 *
 * @param claimId          A1, A2 or A3
 * @param quantity         preActivation, forward, loss, gradient, gradientExactMask, populationLoss,
 *                         populationGradient, trajectory
 * @param kernel           kernel name ({@code scalar} / {@code vector}, or an injected-bug label)
 * @param precision        {@code double} or {@code float}
 * @param d                dimension
 * @param batch            batch size (0 for population quantities; steps for the trajectory)
 * @param units            {@code true} for gradients (true units, MATH.md section 2), {@code none} otherwise
 * @param elements         number of compared elements
 * @param maxAbsError      largest {@code |fast - exact|}
 * @param maxRelError      largest {@code |fast - exact| / |exact|}
 * @param maxUlp           largest distance in ULPs to the exact value rounded to the target precision
 * @param minBitsCorrect   fewest bits correct ({@code -log2} relative error, capped at the significand width)
 * @param worstIndex       element with the largest error/bound ratio
 * @param worstFast        fast value there
 * @param worstExact       exact value there (16 digits)
 * @param worstError       error there
 * @param worstBound       bound there
 * @param maxRatio         largest observed/bound over the elements (must be {@code <= 1})
 * @param violations       elements over their bound
 * @param flips            activation flips (fast indicator != exact indicator); 0 where not applicable
 * @param allowedFlips     flips with {@code |<u_j,x>| <=} the pre-activation bound
 * @param disallowedFlips  other flips (each one is a failure)
 * @param passed           {@code violations == 0 && disallowedFlips == 0} (and, for A2/A3, the rule in notes)
 * @param bound            name and formula of the bound, e.g. {@code gamma_{d+1} sum|x||W|}
 * @param notes            further named numbers (rigorous/estimate labels, measured function ulps, ...)
 */
public record AuditReport(String claimId, String quantity, String kernel, String precision, int d, int batch,
                          String units, long elements, double maxAbsError, double maxRelError, long maxUlp,
                          double minBitsCorrect, String worstIndex, double worstFast, String worstExact,
                          double worstError, double worstBound, double maxRatio, long violations, long flips,
                          long allowedFlips, long disallowedFlips, boolean passed, String bound,
                          Map<String, Object> notes) {
    public AuditReport {
        notes = Collections.unmodifiableMap(new LinkedHashMap<>(notes));
    }

    /** Report of one quantity from its accumulated stats. */
    public static AuditReport of(String claimId, String quantity, String kernel, Precision precision, int d,
                                 int batch, String units, ErrorStats s, long flips, long allowedFlips,
                                 String bound, Map<String, Object> notes) {
        long disallowed = flips - allowedFlips;
        return new AuditReport(claimId, quantity, kernel, precision.name().toLowerCase(java.util.Locale.ROOT), d,
                batch, units, s.elements(), s.maxAbsError(), s.maxRelError(), s.maxUlp(), s.minBitsCorrect(),
                s.worstIndex(), s.worstFast(), s.worstExact(), s.worstError(), s.worstBound(), s.maxRatio(),
                s.violations(), flips, allowedFlips, disallowed, s.violations() == 0 && disallowed == 0, bound, notes);
    }

    /** Same report with {@code passed} forced to false and the reason noted. */
    public AuditReport failed(String reason) {
        Map<String, Object> n = new LinkedHashMap<>(notes);
        n.put("failure", reason);
        return new AuditReport(claimId, quantity, kernel, precision, d, batch, units, elements, maxAbsError,
                maxRelError, maxUlp, minBitsCorrect, worstIndex, worstFast, worstExact, worstError, worstBound,
                maxRatio, violations, flips, allowedFlips, disallowedFlips, false, bound, n);
    }

    /** Ordered map of all fields (JSON-friendly; non-finite doubles become strings). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("claimId", claimId);
        m.put("quantity", quantity);
        m.put("kernel", kernel);
        m.put("precision", precision);
        m.put("d", d);
        m.put("batch", batch);
        m.put("units", units);
        m.put("elements", elements);
        m.put("maxAbsError", json(maxAbsError));
        m.put("maxRelError", json(maxRelError));
        m.put("maxUlp", maxUlp);
        m.put("minBitsCorrect", json(minBitsCorrect));
        m.put("worstIndex", worstIndex);
        m.put("worstFast", json(worstFast));
        m.put("worstExact", worstExact);
        m.put("worstError", json(worstError));
        m.put("worstBound", json(worstBound));
        m.put("maxRatio", json(maxRatio));
        m.put("violations", violations);
        m.put("flips", flips);
        m.put("allowedFlips", allowedFlips);
        m.put("disallowedFlips", disallowedFlips);
        m.put("passed", passed);
        m.put("bound", bound);
        Map<String, Object> n = new LinkedHashMap<>();
        notes.forEach((k, v) -> n.put(k, v instanceof Double x ? json(x) : v));
        m.put("notes", n);
        return m;
    }

    private static Object json(double v) {
        return Double.isFinite(v) ? (Object) v : (Object) Double.toString(v);
    }
}
