package io.idrelu.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * A problem instance as read from (and written to) JSON:
 * <pre>{"d": 3, "identity": true, "W": [[...],...], "Wstar": [[...],...], "X": [[...],...]}</pre>
 * {@code W[r][c]} is row {@code r}, column {@code c}; unit {@code i} uses column {@code i}.
 * {@code identity} defaults to true; {@code X} (B rows of length d) is optional here and required by
 * the batch quantities.
 *
 * <p>Numbers: a JSON number denotes the nearest double (as every JSON parser reads it) and is kept as
 * that double's exact value; a JSON string holding a decimal ({@code "0.1"}) is kept exactly for the
 * reference path and rounded to nearest by the floating-point paths ({@link #doubles}). Every entry
 * must round to a finite double.
 */
public final class Fixture {
    /** Largest dimension a fixture may declare (matrices are {@code d x d}). */
    public static final int MAX_D = Problem.MAX_D;
    /** Largest batch a fixture may carry. */
    public static final int MAX_ROWS = 1_000_000;
    private static final Set<String> KEYS = Set.of("d", "identity", "W", "Wstar", "X");

    private final int d;
    private final boolean identity;
    private final BigDecimal[][] w;
    private final BigDecimal[][] wStar;
    private final BigDecimal[][] x;

    public Fixture(int d, boolean identity, BigDecimal[][] w, BigDecimal[][] wStar, BigDecimal[][] x) {
        this.d = d;
        this.identity = identity;
        this.w = w;
        this.wStar = wStar;
        this.x = x;
    }

    /** Reads and validates a fixture file; every problem is a {@link FixtureException} naming key and position. */
    public static Fixture read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new FixtureException("fixture " + file + " does not exist: expected a readable JSON file");
        } catch (IOException e) {
            throw new FixtureException("fixture " + file + " cannot be read (" + e.getMessage() + "): expected a readable JSON file");
        }
        return parse(text, file.toString());
    }

    /** Parses and validates fixture JSON; {@code source} names it in messages. */
    public static Fixture parse(String json, String source) {
        JsonNode root;
        try {
            ObjectMapper mapper = new ObjectMapper();
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new FixtureException(source + ": not valid JSON" + where + " (" + e.getOriginalMessage() + "): expected one JSON object");
        }
        if (root == null || !root.isObject()) {
            throw new FixtureException(source + ": top level is " + kind(root) + ": expected a JSON object with keys d, W, Wstar (and optionally identity, X)");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new FixtureException(source + ": unknown key \"" + k + "\": expected only d, identity, W, Wstar, X");
            }
        }
        JsonNode dNode = required(root, "d", source);
        if (!dNode.isIntegralNumber() || !dNode.canConvertToInt()) {
            throw new FixtureException(source + ": \"d\" is " + describe(dNode) + ": expected an integer 1 <= d <= " + MAX_D);
        }
        int d = dNode.intValue();
        if (d < 1 || d > MAX_D) {
            throw new FixtureException(source + ": \"d\" = " + d + ": expected an integer 1 <= d <= " + MAX_D);
        }
        boolean identity = true;
        if (root.has("identity")) {
            JsonNode id = root.get("identity");
            if (!id.isBoolean()) {
                throw new FixtureException(source + ": \"identity\" is " + describe(id) + ": expected true or false");
            }
            identity = id.booleanValue();
        }
        BigDecimal[][] w = matrix(required(root, "W", source), "W", d, d, source);
        BigDecimal[][] wStar = matrix(required(root, "Wstar", source), "Wstar", d, d, source);
        BigDecimal[][] x = null;
        if (root.has("X")) {
            JsonNode xn = root.get("X");
            if (!xn.isArray()) {
                throw new FixtureException(source + ": \"X\" is " + describe(xn) + ": expected an array of rows, each of " + d + " numbers");
            }
            if (xn.size() == 0) {
                throw new FixtureException(source + ": \"X\" is empty: expected at least one row of " + d + " numbers");
            }
            if (xn.size() > MAX_ROWS) {
                throw new FixtureException(source + ": \"X\" has " + xn.size() + " rows: expected at most " + MAX_ROWS);
            }
            x = matrix(xn, "X", xn.size(), d, source);
        }
        return new Fixture(d, identity, w, wStar, x);
    }

    private static JsonNode required(JsonNode root, String key, String source) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            throw new FixtureException(source + ": missing key \"" + key + "\": expected " + switch (key) {
                case "d" -> "an integer 1 <= d <= " + MAX_D;
                default -> "a d x d matrix (array of d rows of d numbers)";
            });
        }
        return n;
    }

    private static BigDecimal[][] matrix(JsonNode node, String key, int rows, int cols, String source) {
        if (!node.isArray()) {
            throw new FixtureException(source + ": \"" + key + "\" is " + describe(node) + ": expected an array of " + rows + " rows of " + cols + " numbers");
        }
        if (node.size() != rows) {
            throw new FixtureException(source + ": \"" + key + "\" has " + node.size() + " rows: expected " + rows);
        }
        BigDecimal[][] out = new BigDecimal[rows][cols];
        for (int r = 0; r < rows; r++) {
            JsonNode row = node.get(r);
            if (!row.isArray()) {
                throw new FixtureException(source + ": \"" + key + "\"[" + r + "] is " + describe(row) + ": expected an array of " + cols + " numbers");
            }
            if (row.size() != cols) {
                throw new FixtureException(source + ": \"" + key + "\"[" + r + "] has " + row.size() + " entries: expected " + cols);
            }
            for (int c = 0; c < cols; c++) {
                out[r][c] = number(row.get(c), key + "\"[" + r + "][" + c + "]", source);
            }
        }
        return out;
    }

    private static BigDecimal number(JsonNode v, String where, String source) {
        BigDecimal value;
        if (v.isNumber()) {
            double dv = v.doubleValue();
            if (!Double.isFinite(dv)) {
                throw new FixtureException(source + ": \"" + where + " = " + v.asText() + " overflows a double: expected a finite number");
            }
            value = new BigDecimal(dv);
        } else if (v.isTextual()) {
            try {
                value = new BigDecimal(v.textValue().trim());
            } catch (NumberFormatException e) {
                throw new FixtureException(source + ": \"" + where + " = \"" + v.textValue() + "\" is not a decimal: expected a number or a decimal string like \"0.1\"");
            }
            if (!Double.isFinite(value.doubleValue())) {
                throw new FixtureException(source + ": \"" + where + " = \"" + v.textValue() + "\" overflows a double: expected a finite number");
            }
        } else {
            throw new FixtureException(source + ": \"" + where + " is " + describe(v) + ": expected a number or a decimal string");
        }
        return value;
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "empty";
        }
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String describe(JsonNode n) {
        String text = n.toString();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        return kind(n) + " " + text;
    }

    public int d() {
        return d;
    }

    public boolean identity() {
        return identity;
    }

    /** Exact {@code W[r][c]} (a copy). */
    public BigDecimal[][] w() {
        return copy(w);
    }

    /** Exact {@code W*[r][c]} (a copy). */
    public BigDecimal[][] wStar() {
        return copy(wStar);
    }

    /** Whether the fixture carries a batch {@code X}. */
    public boolean hasBatch() {
        return x != null;
    }

    /** Exact batch rows {@code X[b][r]} (a copy); requires {@link #hasBatch()}. */
    public BigDecimal[][] x() {
        if (x == null) {
            throw new FixtureException("fixture has no \"X\": expected a batch (array of rows of d numbers) for the batch quantities");
        }
        return copy(x);
    }

    /** Number of batch rows, 0 when absent. */
    public int batch() {
        return x == null ? 0 : x.length;
    }

    /** Row-major doubles, each entry rounded to nearest (exact for entries given as JSON numbers). */
    public static double[] doubles(BigDecimal[][] m) {
        int rows = m.length;
        int cols = rows == 0 ? 0 : m[0].length;
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = m[r][c].doubleValue();
            }
        }
        return out;
    }

    /** Row-major floats, each entry rounded to nearest float directly from its exact value (no double rounding). */
    public static float[] floats(BigDecimal[][] m) {
        int rows = m.length;
        int cols = rows == 0 ? 0 : m[0].length;
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = m[r][c].floatValue();
            }
        }
        return out;
    }

    /** The floating-point problem (entries rounded to nearest double). */
    public Problem problem() {
        return new Problem(d, identity, doubles(w), doubles(wStar));
    }

    /** Builds a fixture from a double problem and an optional row-major batch (exact conversion). */
    public static Fixture of(Problem p, double[] x, int batch) {
        int d = p.d();
        return new Fixture(d, p.identity(), Matrices.exact(p.w0(), d), Matrices.exact(p.wStar(), d),
                x == null ? null : Matrices.exactRows(x, batch, d));
    }

    /** JSON form (numbers written as decimal strings of their exact value, so nothing is lost). */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        o.put("d", d);
        o.put("identity", identity);
        o.set("W", toJson(mapper, w));
        o.set("Wstar", toJson(mapper, wStar));
        if (x != null) {
            o.set("X", toJson(mapper, x));
        }
        return o;
    }

    private static ArrayNode toJson(ObjectMapper mapper, BigDecimal[][] m) {
        ArrayNode rows = mapper.createArrayNode();
        for (BigDecimal[] row : m) {
            ArrayNode a = rows.addArray();
            for (BigDecimal v : row) {
                a.add(v.toString());
            }
        }
        return rows;
    }

    private static BigDecimal[][] copy(BigDecimal[][] m) {
        BigDecimal[][] out = new BigDecimal[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }
}
