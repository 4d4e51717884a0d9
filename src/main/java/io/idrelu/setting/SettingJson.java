package io.idrelu.setting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * JSON form of a {@link Setting}, read and written by hand over Jackson's tree so that every error is one line
 * naming the field (its dotted path) and the expected values. Example (today's default, {@link Setting#ly17}):
 * <pre>
 * {"architecture": {"d": 8, "blocks": 1, "identity": true},
 *  "activation": {"kind": "relu"},
 *  "inputs": {"kind": "gaussian"},
 *  "labels": {"kind": "noiseless"},
 *  "init": {"kind": "spectral-norm", "gamma": 0.3}}
 * </pre>
 * Other kinds: activation {@code leaky-relu (a)}, {@code softplus (b)}, {@code gelu}; inputs {@code gaussian-cov
 * (sigma)}, {@code student-t (nu)}, {@code rademacher}, {@code sphere}, {@code dataset (path, standardise, whiten)};
 * labels {@code gaussian-noise (sigma)}; init {@code scaled (c)}. Only {@code architecture} is required; a missing
 * part takes its [LY17] default. Numbers are JSON numbers (the nearest double); unknown fields are refused.
 */
public final class SettingJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SettingJson() { }

    /** Parses a setting; {@link IllegalArgumentException} with a one-line message on any error. */
    public static Setting parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("setting is not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage().split("\n")[0]);
        }
        return fromJson(root);
    }

    public static Setting fromJson(JsonNode root) {
        ObjectNode o = object(root, "setting");
        fields(o, "setting", "architecture", "activation", "inputs", "labels", "init");
        if (!o.has("architecture")) {
            throw new IllegalArgumentException("setting.architecture is missing: expected {\"d\": D, \"blocks\": K, \"identity\": true|false}");
        }
        Setting def = Setting.ly17(1);
        Architecture arch = architecture(o.get("architecture"));
        Activation act = o.has("activation") ? activation(o.get("activation")) : def.activation();
        InputLaw in = o.has("inputs") ? inputs(o.get("inputs")) : def.inputs();
        LabelModel lab = o.has("labels") ? labels(o.get("labels")) : def.labels();
        Init init = o.has("init") ? init(o.get("init")) : def.init();
        return new Setting(arch, act, in, lab, init);
    }

    public static String write(Setting s) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(s));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode toJson(Setting s) {
        ObjectNode o = MAPPER.createObjectNode();
        ObjectNode a = o.putObject("architecture");
        a.put("d", s.architecture().d());
        a.put("blocks", s.architecture().blocks());
        a.put("identity", s.architecture().identity());
        ObjectNode act = o.putObject("activation");
        if (s.activation() instanceof Activation.Relu) {
            act.put("kind", "relu");
        } else if (s.activation() instanceof Activation.LeakyRelu l) {
            act.put("kind", "leaky-relu").put("a", l.a());
        } else if (s.activation() instanceof Activation.Softplus sp) {
            act.put("kind", "softplus").put("b", sp.b());
        } else {
            act.put("kind", "gelu");
        }
        ObjectNode in = o.putObject("inputs");
        in.put("kind", s.inputs().kind());
        if (s.inputs() instanceof InputLaw.GaussianCov g) {
            ArrayNode rows = in.putArray("sigma");
            for (double[] row : g.sigma()) {
                ArrayNode r = rows.addArray();
                for (double v : row) {
                    r.add(v);
                }
            }
        } else if (s.inputs() instanceof InputLaw.StudentT t) {
            in.put("nu", t.nu());
        } else if (s.inputs() instanceof InputLaw.DataSet ds) {
            in.put("path", ds.path()).put("standardise", ds.standardise()).put("whiten", ds.whiten());
        }
        ObjectNode lab = o.putObject("labels");
        if (s.labels() instanceof LabelModel.GaussianNoise n) {
            lab.put("kind", "gaussian-noise").put("sigma", n.sigma());
        } else {
            lab.put("kind", "noiseless");
        }
        ObjectNode init = o.putObject("init");
        if (s.init() instanceof Init.SpectralNorm sn) {
            init.put("kind", "spectral-norm").put("gamma", sn.gamma());
        } else {
            init.put("kind", "scaled").put("c", ((Init.Scaled) s.init()).c());
        }
        return o;
    }

    private static Architecture architecture(JsonNode n) {
        ObjectNode o = object(n, "architecture");
        fields(o, "architecture", "d", "blocks", "identity");
        if (!o.has("d")) {
            throw new IllegalArgumentException("architecture.d is missing: expected an integer 1 <= d <= " + Architecture.MAX_D);
        }
        int d = integer(o.get("d"), "architecture.d");
        int blocks = o.has("blocks") ? integer(o.get("blocks"), "architecture.blocks") : 1;
        boolean identity = !o.has("identity") || bool(o.get("identity"), "architecture.identity");
        return new Architecture(d, blocks, identity);
    }

    private static Activation activation(JsonNode n) {
        ObjectNode o = object(n, "activation");
        String kind = kind(o, "activation", "relu", "leaky-relu", "softplus", "gelu");
        switch (kind) {
            case "relu":
                fields(o, "activation (relu)", "kind");
                return new Activation.Relu();
            case "leaky-relu":
                fields(o, "activation (leaky-relu)", "kind", "a");
                return new Activation.LeakyRelu(number(required(o, "a", "activation.a", "a slope -1 <= a <= 1"), "activation.a"));
            case "softplus":
                fields(o, "activation (softplus)", "kind", "b");
                return new Activation.Softplus(o.has("b") ? number(o.get("b"), "activation.b") : 1.0);
            default:
                fields(o, "activation (gelu)", "kind");
                return new Activation.Gelu();
        }
    }

    private static InputLaw inputs(JsonNode n) {
        ObjectNode o = object(n, "inputs");
        String kind = kind(o, "inputs", "gaussian", "gaussian-cov", "student-t", "rademacher", "sphere", "dataset");
        switch (kind) {
            case "gaussian":
                fields(o, "inputs (gaussian)", "kind");
                return new InputLaw.StandardGaussian();
            case "gaussian-cov":
                fields(o, "inputs (gaussian-cov)", "kind", "sigma");
                return new InputLaw.GaussianCov(matrix(required(o, "sigma", "inputs.sigma", "a d x d matrix"), "inputs.sigma"));
            case "student-t":
                fields(o, "inputs (student-t)", "kind", "nu");
                return new InputLaw.StudentT(number(required(o, "nu", "inputs.nu", "degrees of freedom nu > 2"), "inputs.nu"));
            case "rademacher":
                fields(o, "inputs (rademacher)", "kind");
                return new InputLaw.Rademacher();
            case "sphere":
                fields(o, "inputs (sphere)", "kind");
                return new InputLaw.Sphere();
            default:
                fields(o, "inputs (dataset)", "kind", "path", "standardise", "whiten");
                JsonNode p = required(o, "path", "inputs.path", "a .csv or .npy file");
                if (!p.isTextual()) {
                    throw new IllegalArgumentException("inputs.path = " + p + ": expected a string");
                }
                boolean st = o.has("standardise") && bool(o.get("standardise"), "inputs.standardise");
                boolean wh = o.has("whiten") && bool(o.get("whiten"), "inputs.whiten");
                return new InputLaw.DataSet(p.asText(), st, wh);
        }
    }

    private static LabelModel labels(JsonNode n) {
        ObjectNode o = object(n, "labels");
        String kind = kind(o, "labels", "noiseless", "gaussian-noise");
        if (kind.equals("noiseless")) {
            fields(o, "labels (noiseless)", "kind");
            return new LabelModel.Noiseless();
        }
        fields(o, "labels (gaussian-noise)", "kind", "sigma");
        return new LabelModel.GaussianNoise(number(required(o, "sigma", "labels.sigma", "a number > 0"), "labels.sigma"));
    }

    private static Init init(JsonNode n) {
        ObjectNode o = object(n, "init");
        String kind = kind(o, "init", "spectral-norm", "scaled");
        if (kind.equals("spectral-norm")) {
            fields(o, "init (spectral-norm)", "kind", "gamma");
            return new Init.SpectralNorm(o.has("gamma") ? number(o.get("gamma"), "init.gamma") : Setting.DEFAULT_GAMMA);
        }
        fields(o, "init (scaled)", "kind", "c");
        return new Init.Scaled(number(required(o, "c", "init.c", "a number >= 0"), "init.c"));
    }

    private static ObjectNode object(JsonNode n, String where) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(where + " = " + n + ": expected a JSON object");
        }
        return (ObjectNode) n;
    }

    private static void fields(ObjectNode o, String where, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ok.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field '" + f + "': expected one of " + String.join(", ", allowed));
            }
        }
    }

    private static String kind(ObjectNode o, String where, String... kinds) {
        JsonNode k = o.get("kind");
        List<String> list = List.of(kinds);
        if (k == null || !k.isTextual() || !list.contains(k.asText())) {
            throw new IllegalArgumentException(where + ".kind = " + (k == null ? "missing" : k.toString()) + ": expected one of "
                    + String.join(", ", list));
        }
        return k.asText();
    }

    private static JsonNode required(ObjectNode o, String field, String path, String expected) {
        JsonNode v = o.get(field);
        if (v == null) {
            throw new IllegalArgumentException(path + " is missing: expected " + expected);
        }
        return v;
    }

    private static int integer(JsonNode n, String path) {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException(path + " = " + n + ": expected an integer");
        }
        return n.intValue();
    }

    private static double number(JsonNode n, String path) {
        if (!n.isNumber()) {
            throw new IllegalArgumentException(path + " = " + n + ": expected a JSON number");
        }
        return n.doubleValue();
    }

    private static boolean bool(JsonNode n, String path) {
        if (!n.isBoolean()) {
            throw new IllegalArgumentException(path + " = " + n + ": expected true or false");
        }
        return n.booleanValue();
    }

    private static double[][] matrix(JsonNode n, String path) {
        if (!n.isArray()) {
            throw new IllegalArgumentException(path + " = " + n + ": expected an array of rows");
        }
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r < n.size(); r++) {
            JsonNode row = n.get(r);
            if (!row.isArray()) {
                throw new IllegalArgumentException(path + " row " + r + " = " + row + ": expected an array of numbers");
            }
            double[] v = new double[row.size()];
            for (int c = 0; c < v.length; c++) {
                v[c] = number(row.get(c), path + "[" + r + "][" + c + "]");
            }
            rows.add(v);
        }
        return rows.toArray(new double[0][]);
    }
}
