package io.idrelu.audit;

import java.util.List;
import java.util.Locale;

/** Plain-text table of {@link AuditReport}s for {@code idrelu audit} (one line per quantity). */
public final class AuditTable {
    private AuditTable() { }

    public static String render(List<AuditReport> reports) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-3s %-20s %-14s %-6s %5s %6s %-5s %10s %10s %7s %6s %10s %10s %8s %5s %8s %s%n";
        sb.append(String.format(Locale.ROOT, fmt, "id", "quantity", "kernel", "prec", "d", "batch", "units",
                "maxAbsErr", "maxRelErr", "maxUlp", "bits", "worstErr", "worstBnd", "ratio", "flips", "allowed", "ok"));
        for (AuditReport r : reports) {
            sb.append(String.format(Locale.ROOT, fmt, r.claimId(), r.quantity(), r.kernel(), r.precision(), r.d(),
                    r.batch(), r.units(), e(r.maxAbsError()), e(r.maxRelError()),
                    r.maxUlp() == Long.MAX_VALUE ? "inf" : Long.toString(r.maxUlp()),
                    String.format(Locale.ROOT, "%.1f", r.minBitsCorrect()), e(r.worstError()), e(r.worstBound()),
                    String.format(Locale.ROOT, "%.2e", r.maxRatio()), r.flips(), r.allowedFlips(),
                    r.passed() ? "PASS" : "FAIL"));
        }
        return sb.toString();
    }

    private static String e(double v) {
        return String.format(Locale.ROOT, "%.3e", v);
    }
}
