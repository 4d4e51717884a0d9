package io.idrelu.claims;

import java.util.Locale;

/**
 * The number a claim's verdict turns on (MATH.md section 4), in a form a reader can check at a glance:
 * what was measured ({@code quantity}), its value, how it must compare with the bound for HOLDS, the
 * bound, and the units of both ({@code true} or {@code paper} for gradient-derived numbers).
 * {@code relation} is one of {@code <=, <, >=, >, =} or {@code in} (then the bound is the closed
 * interval {@code [bound, boundHigh]}).
 *
 * @param quantity  the measured quantity in a few words, e.g. {@code "max |z|"} or {@code "min ratio"}
 * @param measured  its value (NaN when nothing could be measured)
 * @param relation  how {@code measured} must compare with the bound for HOLDS
 * @param bound     the bound, or the low end of the interval for {@code in}
 * @param boundHigh the high end for {@code in}; NaN otherwise
 * @param units     units of {@code measured} and the bound
 */
public record Decisive(String quantity, double measured, String relation, double bound, double boundHigh, Units units) {
    public Decisive {
        quantity = quantity == null || quantity.isBlank() ? "measured" : quantity;
        relation = relation == null ? "?" : relation;
        units = units == null ? Units.NONE : units;
    }

    /** {@code quantity = measured relation bound}. */
    public static Decisive of(String quantity, double measured, String relation, double bound, Units units) {
        return new Decisive(quantity, measured, relation, bound, Double.NaN, units);
    }

    /** {@code quantity = measured in [low, high]}. */
    public static Decisive within(String quantity, double measured, double low, double high, Units units) {
        return new Decisive(quantity, measured, "in", low, high, units);
    }

    /** The bound as text: a number, or {@code [low, high]} for {@code in}. */
    public String boundText() {
        return "in".equals(relation) ? "[" + num(bound) + ", " + num(boundHigh) + "]" : num(bound);
    }

    /** One line, e.g. {@code "min ratio = 0.5152 > 0.084 (paper)"}. */
    public String text() {
        return quantity + " = " + comparison();
    }

    /**
     * The numbers without the quantity's name, e.g. {@code "0.5152 > 0.084 (paper)"}. When the measured value does not
     * satisfy the relation (a VIOLATED row, or an INCONCLUSIVE one short of its bound) the line states what is true,
     * {@code "-0.2108 <= 0.084 (paper)"}, never a false inequality.
     */
    public String comparison() {
        return num(measured) + " " + shownRelation() + " " + boundText() + (units == Units.NONE ? "" : " (" + units.label() + ")");
    }

    /** The relation as stated when {@code measured} satisfies it (or cannot be compared: NaN), else its negation. */
    private String shownRelation() {
        if (Double.isNaN(measured) || Double.isNaN(bound)) {
            return relation;
        }
        switch (relation) {
            case ">": return measured > bound ? ">" : "<=";
            case ">=": return measured >= bound ? ">=" : "<";
            case "<": return measured < bound ? "<" : ">=";
            case "<=": return measured <= bound ? "<=" : ">";
            case "in": return measured >= bound && measured <= boundHigh ? "in" : "not in";
            default: return relation;
        }
    }

    /** Four significant digits, plain for moderate magnitudes and scientific otherwise; "n/a" for NaN. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (v == 0 || (a >= 1e-3 && a < 1e5)) {
            String s = String.format(Locale.ROOT, "%.4g", v);
            if (s.contains(".") && !s.contains("e")) {
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            return s;
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }
}
