package io.idrelu.claims;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of one claim (MATH.md section 4): verdict, the measured quantity against the bound it is
 * held to (with units and the direction of the comparison), the margin, the worst case with its replay
 * description, and the empirical constant next to the paper's.
 *
 * @param id               claim ID (C1..C14, A1..A3)
 * @param statement        the claim in a few words
 * @param verdict          HOLDS, VIOLATED or INCONCLUSIVE
 * @param measured         the decisive measured number (worst over trials, or the interval end that decides)
 * @param bound            what it is held against
 * @param relation         how measured must compare to bound for HOLDS, e.g. {@code "<="} or {@code ">"}
 * @param units            units of measured and bound
 * @param margin           signed distance to the bound in the claim's favour (positive = room to spare);
 *                         its definition is in {@code details}
 * @param empirical        empirical constant found (e.g. tightest one-point ratio), or NaN if none
 * @param paper            the paper's constant it is compared with, or NaN if none
 * @param trials           number of trials or samples behind the verdict
 * @param worst            replay description of the worst trial, or null
 * @param details          further named numbers (intervals, fitted exponents, coverage counts)
 * @param seconds          wall time of the check
 * @param decisive         the number the verdict turns on, named, with relation, bound and units (what the
 *                         verdict table shows); derived from {@code measured, relation, bound, units} when
 *                         a claim does not name it
 * @param reason           why the verdict is not HOLDS, in one line with its numbers (e.g.
 *                         {@code "d = 8 < minD = 100"}); may also carry a caveat on a HOLDS; "" when none
 */
public record ClaimResult(String id, String statement, Verdict verdict, double measured, double bound,
                          String relation, Units units, double margin, double empirical, double paper,
                          long trials, Replay worst, Map<String, Object> details, double seconds,
                          Decisive decisive, String reason) {
    public ClaimResult {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        if (decisive == null) {
            decisive = Decisive.of(null, measured, relation, bound, units);
        }
        reason = reason == null ? "" : reason.strip();
    }

    /** A result whose decisive number is {@code measured relation bound} unnamed, and no reason (see {@link #explained}). */
    public ClaimResult(String id, String statement, Verdict verdict, double measured, double bound,
                       String relation, Units units, double margin, double empirical, double paper,
                       long trials, Replay worst, Map<String, Object> details, double seconds) {
        this(id, statement, verdict, measured, bound, relation, units, margin, empirical, paper, trials, worst, details,
                seconds, null, null);
    }

    /** Same result with the wall time set. */
    public ClaimResult withSeconds(double s) {
        return new ClaimResult(id, statement, verdict, measured, bound, relation, units, margin, empirical, paper,
                trials, worst, details, s, decisive, reason);
    }

    /** Same result with its decisive number named and the reason for its verdict ("" or null: none). */
    public ClaimResult explained(Decisive d, String why) {
        return new ClaimResult(id, statement, verdict, measured, bound, relation, units, margin, empirical, paper,
                trials, worst, details, seconds, d, why);
    }

    /** Same result with the reason for its verdict. */
    public ClaimResult because(String why) {
        return explained(decisive, why);
    }
}
