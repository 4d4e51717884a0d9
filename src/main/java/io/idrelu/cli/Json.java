package io.idrelu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.math.BigDecimal;

/** The one JSON mapper of the CLI and the conversions of numbers to JSON decimal strings. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() { }

    /** Pretty JSON text of a tree or value. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** A decimal string: exact for BigDecimal ({@code toString}, scientific when very small or large). */
    public static String decimal(BigDecimal v) {
        return v.toString();
    }

    /** A decimal string of a double: the shortest one that reads back to the same double. */
    public static String decimal(double v) {
        return Double.toString(v);
    }

    public static ArrayNode row(BigDecimal[] values) {
        ArrayNode a = MAPPER.createArrayNode();
        for (BigDecimal v : values) {
            a.add(decimal(v));
        }
        return a;
    }

    public static ArrayNode matrix(BigDecimal[][] m) {
        ArrayNode a = MAPPER.createArrayNode();
        for (BigDecimal[] r : m) {
            a.add(row(r));
        }
        return a;
    }

    public static ArrayNode row(double[] values, int from, int to) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int i = from; i < to; i++) {
            a.add(decimal(values[i]));
        }
        return a;
    }

    /** Row-major {@code rows x cols} doubles as an array of rows of decimal strings. */
    public static ArrayNode matrix(double[] m, int rows, int cols) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int r = 0; r < rows; r++) {
            a.add(row(m, r * cols, (r + 1) * cols));
        }
        return a;
    }
}
