package io.idrelu.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.PaperConstants;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Replay;
import io.idrelu.cli.Json;
import io.idrelu.claims.ClaimContext;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingJson;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything a check's deterministic results depend on: preset, selected claims (catalogue order),
 * base seed, the kernel that actually ran, precision and the paper's constants, and, for a user's kernel
 * ({@code --kernel-class}), its class name and class path (absolute), so that a replay file can load the
 * same kernel again. Not included: thread count, output directory, shard (results do not depend on them).
 * Two runs with equal configurations give equal deterministic report parts; resume and merge refuse
 * unequal ones.
 *
 * <p>The setting the claims run under (issue 11, proofs-notes/settings.md section 9) is part of the configuration,
 * and so of report.json, the journal header and every replay file, <em>only when it is not [LY17]'s</em>: under
 * [LY17] the claims keep their own preset dimensions and gamma and ignore the setting's, so files of [LY17] runs stay
 * byte-identical to those written before settings existed and still resume and merge with them. A [LY17] setting is
 * therefore normalised to {@link #LY17}.
 *
 * @param kernelClass fully qualified class of a user's kernel, or {@code null} for one of ours
 * @param classpath   where {@code kernelClass} was loaded from, or {@code null} (idrelu's own class path)
 * @param setting     the claims' setting; {@code null} or any [LY17] setting means {@link #LY17}
 */
public record CheckConfig(Preset preset, List<String> claims, long seed, String kernel, String precision,
                          PaperConstants constants, String kernelClass, String classpath, Setting setting) {

    /** The setting of a run that names none: [LY17]'s, at the claim context's placeholder dimension. */
    public static final Setting LY17 = Setting.ly17(ClaimContext.LY17_PLACEHOLDER_D);

    /** Field of the configuration JSON (and of replay configurations) holding a non-[LY17] setting. */
    public static final String SETTING_FIELD = "setting";

    public CheckConfig {
        claims = List.copyOf(claims);
        if (kernelClass == null && classpath != null) {
            throw new IllegalArgumentException("classpath " + classpath + " without a kernel class");
        }
        setting = setting == null || setting.isLy17() ? LY17 : setting;
    }

    /** A configuration under [LY17]'s setting. */
    public CheckConfig(Preset preset, List<String> claims, long seed, String kernel, String precision,
                       PaperConstants constants, String kernelClass, String classpath) {
        this(preset, claims, seed, kernel, precision, constants, kernelClass, classpath, null);
    }

    /** A configuration running one of idrelu's own kernels under [LY17]'s setting. */
    public CheckConfig(Preset preset, List<String> claims, long seed, String kernel, String precision,
                       PaperConstants constants) {
        this(preset, claims, seed, kernel, precision, constants, null, null, null);
    }

    /** True when the claims run under [LY17]'s own setting (nothing about the setting is written). */
    public boolean isLy17() {
        return setting.isLy17();
    }

    /** The setting of a configuration or replay JSON: its {@code setting} field, or [LY17]'s when absent. */
    public static Setting settingFrom(JsonNode configuration) {
        JsonNode s = configuration.get(SETTING_FIELD);
        return s == null || s.isNull() ? LY17 : SettingJson.fromJson(s);
    }

    /** The configuration as JSON (field order fixed). */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("preset", presetName(preset));
        ArrayNode c = o.putArray("claims");
        claims.forEach(c::add);
        o.put("seed", seed);
        o.put("kernel", kernel);
        o.put("precision", precision);
        o.set("constants", constantsJson(constants));
        putUserKernel(o);
        if (!isLy17()) {
            o.set(SETTING_FIELD, ResultJson.normalise(SettingJson.toJson(setting)));
        }
        return o;
    }

    public static String presetName(Preset p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    public static ObjectNode constantsJson(PaperConstants k) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("phase1Threshold", k.phase1Threshold());
        c.put("phase1StepFactor", k.phase1StepFactor());
        c.put("onePointConstant", k.onePointConstant());
        c.put("minD", k.minD());
        return c;
    }

    public static PaperConstants constantsFrom(JsonNode c) {
        return new PaperConstants(c.path("phase1Threshold").asDouble(), c.path("phase1StepFactor").asDouble(),
                c.path("onePointConstant").asDouble(), c.path("minD").asInt());
    }

    /** Reads a configuration written by {@link #toJson()}. */
    public static CheckConfig fromJson(JsonNode o) {
        List<String> ids = new java.util.ArrayList<>();
        o.path("claims").forEach(n -> ids.add(n.asText()));
        return new CheckConfig(parsePreset(o.path("preset").asText()), ids, o.path("seed").asLong(),
                o.path("kernel").asText(), o.path("precision").asText(), constantsFrom(o.path("constants")),
                textOrNull(o, "kernelClass"), textOrNull(o, "classpath"), settingFrom(o));
    }

    /** The text of field {@code name}, or {@code null} when it is absent or JSON null. */
    public static String textOrNull(JsonNode o, String name) {
        JsonNode n = o.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** Adds {@code kernelClass} and {@code classpath} when a user's kernel ran (absent otherwise: files unchanged). */
    private void putUserKernel(ObjectNode o) {
        if (kernelClass != null) {
            o.put("kernelClass", kernelClass);
            if (classpath != null) {
                o.put("classpath", classpath);
            }
        }
    }

    /** {@code quick|default|paper|deep}; anything else is a usage error. */
    public static Preset parsePreset(String text) {
        for (Preset p : Preset.values()) {
            if (presetName(p).equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("preset '" + text + "': expected quick, default, paper or deep");
    }

    /** The replay description of claim {@code id} run under this configuration. */
    public Replay replayFor(String id) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("preset", presetName(preset));
        cfg.put("kernel", kernel);
        cfg.put("precision", precision);
        cfg.put("phase1Threshold", constants.phase1Threshold());
        cfg.put("phase1StepFactor", constants.phase1StepFactor());
        cfg.put("onePointConstant", constants.onePointConstant());
        cfg.put("minD", constants.minD());
        if (kernelClass != null) {
            cfg.put("kernelClass", kernelClass);
            if (classpath != null) {
                cfg.put("classpath", classpath);
            }
        }
        if (!isLy17()) {
            cfg.put(SETTING_FIELD, ResultJson.normalise(SettingJson.toJson(setting)));
        }
        return new Replay(id, cfg, seed);
    }

    /**
     * The first field (dotted path) where two JSON configurations differ, with both values, or
     * {@code null} when they are equal.
     */
    public static String firstDifference(JsonNode expected, JsonNode actual) {
        return diff("", expected, actual);
    }

    private static String diff(String path, JsonNode a, JsonNode b) {
        if (a.isObject() && b.isObject()) {
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                String sub = path.isEmpty() ? f : path + "." + f;
                if (!b.has(f)) {
                    return sub + " (missing on one side)";
                }
                String d = diff(sub, a.get(f), b.get(f));
                if (d != null) {
                    return d;
                }
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!a.has(f)) {
                    return (path.isEmpty() ? f : path + "." + f) + " (missing on one side)";
                }
            }
            return null;
        }
        if (a.equals(b)) {
            return null;
        }
        return (path.isEmpty() ? "(root)" : path) + " (" + a + " vs " + b + ")";
    }
}
