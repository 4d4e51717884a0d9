package io.idrelu.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Verdict;
import io.idrelu.cli.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of a {@link ClaimResult} in reports, journals and replay files. Wall time is left out
 * (it goes to the report's {@code timings} section) so that the JSON of a result is a deterministic
 * function of the claim and its configuration and can be compared across runs, thread counts and
 * machines. Doubles are written with {@link Double#toString} (shortest text that reads back to the same
 * double); NaN and infinities as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 * Every tree is normalised by a text round trip, so a fresh result and one read back from a file
 * compare equal exactly when their numbers are bit-identical.
 */
public final class ResultJson {
    private ResultJson() { }

    /** Deterministic JSON of {@code r}, with the run-level replay of its claim. */
    public static ObjectNode of(ClaimResult r, Replay replay) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", r.id());
        o.put("statement", r.statement());
        o.put("verdict", r.verdict().name());
        number(o, "measured", r.measured());
        number(o, "bound", r.bound());
        o.put("relation", r.relation());
        o.put("units", r.units() == null ? "none" : r.units().label());
        ObjectNode dec = o.putObject("decisive");
        dec.put("quantity", r.decisive().quantity());
        number(dec, "measured", r.decisive().measured());
        dec.put("relation", r.decisive().relation());
        number(dec, "bound", r.decisive().bound());
        if ("in".equals(r.decisive().relation())) {
            number(dec, "boundHigh", r.decisive().boundHigh());
        }
        dec.put("units", r.decisive().units().label());
        dec.put("text", r.decisive().text());
        o.put("reason", r.reason());
        number(o, "margin", r.margin());
        number(o, "empirical", r.empirical());
        number(o, "paper", r.paper());
        o.put("trials", r.trials());
        o.set("worst", r.worst() == null ? Json.MAPPER.nullNode() : replayJson(r.worst()));
        o.set("replay", replayJson(replay));
        o.set("details", Json.MAPPER.valueToTree(r.details() == null ? Map.of() : r.details()));
        return normalise(o);
    }

    /** The JSON of a unit whose claim threw: INCONCLUSIVE, with the error in the details. */
    public static ObjectNode internalError(String id, String statement, Throwable error, Replay replay) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("internalError", true);
        details.put("error", error.getClass().getName() + ": " + error.getMessage());
        StackTraceElement[] st = error.getStackTrace();
        if (st.length > 0) {
            details.put("at", st[0].toString());
        }
        ClaimResult r = new ClaimResult(id, statement, Verdict.INCONCLUSIVE, Double.NaN, Double.NaN, "", null,
                Double.NaN, Double.NaN, Double.NaN, 0, null, details, 0)
                .explained(new io.idrelu.claims.Decisive("internal error", Double.NaN, "", Double.NaN, Double.NaN, null),
                        "internal error: " + details.get("error"));
        return of(r, replay);
    }

    /**
     * The JSON of a unit whose claim is not defined under the run's setting (issue 11): NOT_APPLICABLE, not run, with
     * the claim's reason (which names the part of the setting that rules it out) and the setting's short label in the
     * details.
     */
    public static ObjectNode notApplicable(String id, String statement, String reason, io.idrelu.setting.Setting setting,
                                           Replay replay) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("notApplicable", true);
        details.put("setting", io.idrelu.claims.Applicability.label(setting));
        ClaimResult r = new ClaimResult(id, statement, Verdict.NOT_APPLICABLE, Double.NaN, Double.NaN, "", null,
                Double.NaN, Double.NaN, Double.NaN, 0, null, details, 0)
                .explained(new io.idrelu.claims.Decisive(NOT_RUN, Double.NaN, "", Double.NaN, Double.NaN, null), reason);
        return of(r, replay);
    }

    /** The decisive quantity of a NOT_APPLICABLE result (the table shows it instead of numbers). */
    public static final String NOT_RUN = "not run under this setting";

    public static boolean isInternalError(JsonNode result) {
        return result.path("details").path("internalError").asBoolean(false);
    }

    public static Verdict verdict(JsonNode result) {
        return Verdict.valueOf(result.path("verdict").asText());
    }

    public static ObjectNode replayJson(Replay r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("claimId", r.claimId());
        o.set("config", Json.MAPPER.valueToTree(r.config()));
        o.put("seed", r.seed());
        return normalise(o);
    }

    public static Replay replayFrom(JsonNode o) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        o.path("config").fields().forEachRemaining(e -> cfg.put(e.getKey(), plain(e.getValue())));
        return new Replay(o.path("claimId").asText(), cfg, o.path("seed").asLong());
    }

    /** A double as a JSON number, or a string for NaN and infinities. */
    public static void number(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.put(field, Double.toString(v));
        }
    }

    /** Reads a double written by {@link #number}. */
    public static double number(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return Double.NaN;
        }
        if (n.isTextual()) {
            try {
                return Double.parseDouble(n.asText());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return n.asDouble();
    }

    private static Object plain(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isTextual()) {
            return n.asText();
        }
        return n;
    }

    /** The tree as it reads back from its own text. */
    public static <T extends JsonNode> T normalise(T tree) {
        try {
            @SuppressWarnings("unchecked")
            T back = (T) Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(tree));
            return back;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot round-trip a result through JSON", e);
        }
    }
}
