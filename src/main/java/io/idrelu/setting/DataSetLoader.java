package io.idrelu.setting;

import io.idrelu.model.FixtureException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a data set from CSV or NPY and validates it at the boundary (issue 11): every error is a
 * {@link FixtureException} (exit 2 in the CLI) whose one-line message names the file, the line/row and column
 * (1-based) and what was expected. Refused: empty file, ragged rows, a field that is not a number, NaN or
 * infinity, a dimension other than the expected one.
 *
 * <p><b>CSV</b>: comma-separated, one row per line, blank lines skipped; the first line is a header of column
 * names when any of its fields is not a number. <b>NPY</b> (NumPy format 1.0/2.0): a 2-D C-order array of
 * {@code <f8}, {@code <f4}, {@code <i8} or {@code <i4}. A path {@code classpath:NAME} reads a resource shipped
 * with idrelu ({@code classpath:datasets/wine.csv}).
 */
public final class DataSetLoader {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private DataSetLoader() { }

    /** Loads {@code path} and checks that rows have dimension {@code expectedD} ({@code <= 0}: any). */
    public static DataMatrix load(String path, int expectedD) {
        byte[] bytes = read(path);
        DataMatrix m = path.toLowerCase().endsWith(".npy") ? npy(path, bytes) : csv(path, new String(bytes, StandardCharsets.UTF_8));
        if (expectedD > 0 && m.d() != expectedD) {
            throw new FixtureException(path + ": rows have " + m.d() + " columns != architecture.d = " + expectedD
                    + ": expected one column per input coordinate");
        }
        return m;
    }

    /** The data a {@link InputLaw.DataSet} describes: loaded, then standardised or whitened as it asks. */
    public static DataMatrix load(InputLaw.DataSet law, int expectedD) {
        DataMatrix m = load(law.path(), expectedD);
        if (law.whiten()) {
            return m.whitened();
        }
        return law.standardise() ? m.standardised() : m;
    }

    private static byte[] read(String path) {
        try {
            if (path.startsWith("classpath:")) {
                String name = path.substring("classpath:".length());
                try (InputStream in = DataSetLoader.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        throw new FixtureException(path + ": no such resource: expected e.g. classpath:datasets/wine.csv");
                    }
                    return in.readAllBytes();
                }
            }
            Path p = Path.of(path);
            if (!Files.isRegularFile(p)) {
                throw new FixtureException(path + ": no such file: expected a readable .csv or .npy file");
            }
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new FixtureException(path + ": cannot read (" + e.getMessage() + "): expected a readable .csv or .npy file");
        }
    }

    static DataMatrix csv(String path, String text) {
        String[] lines = text.split("\r?\n", -1);
        List<String> names = null;
        List<double[]> rows = new ArrayList<>();
        int d = -1;
        for (int ln = 0; ln < lines.length; ln++) {
            String line = lines[ln].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (names == null && rows.isEmpty() && !allNumbers(f)) {
                names = new ArrayList<>();
                for (String s : f) {
                    names.add(s.strip());
                }
                d = f.length;
                continue;
            }
            if (d < 0) {
                d = f.length;
            }
            if (f.length != d) {
                throw new FixtureException(path + " line " + (ln + 1) + ": " + f.length + " fields != " + d
                        + (names != null ? " in the header" : " in the first row") + ": expected rows of equal length");
            }
            double[] row = new double[d];
            for (int c = 0; c < d; c++) {
                String s = f[c].strip();
                double v;
                try {
                    v = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new FixtureException(path + " line " + (ln + 1) + ", column " + (c + 1) + ": '" + s + "' is not a number");
                }
                if (!Double.isFinite(v)) {
                    throw new FixtureException(path + " line " + (ln + 1) + ", column " + (c + 1) + ": " + s + ": expected a finite number");
                }
                row[c] = v;
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new FixtureException(path + ": no data rows: expected at least one row of numbers");
        }
        double[] x = new double[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, x, i * d, d);
        }
        if (names == null) {
            names = new ArrayList<>();
            for (int c = 0; c < d; c++) {
                names.add("x" + (c + 1));
            }
        }
        return new DataMatrix(rows.size(), d, x, names);
    }

    private static boolean allNumbers(String[] f) {
        for (String s : f) {
            try {
                Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    static DataMatrix npy(String path, byte[] b) {
        if (b.length < 10 || (b[0] & 0xff) != 0x93 || !new String(b, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new FixtureException(path + ": not an NPY file (magic \\x93NUMPY missing): expected NumPy format 1.0 or 2.0");
        }
        int major = b[6];
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8);
            start = 12;
        } else {
            throw new FixtureException(path + ": NPY version " + major + ": expected 1, 2 or 3");
        }
        if (start + headerLen > b.length || headerLen < 0) {
            throw new FixtureException(path + ": NPY header length " + headerLen + " exceeds the file: expected a complete file");
        }
        String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, path, "'descr'");
        if (group(FORTRAN, header, path, "'fortran_order'").equals("True")) {
            throw new FixtureException(path + ": fortran_order = True: expected a C-order array (numpy.ascontiguousarray)");
        }
        String[] dims = group(SHAPE, header, path, "'shape'").split(",");
        List<Integer> shape = new ArrayList<>();
        for (String s : dims) {
            if (!s.isBlank()) {
                shape.add(Integer.parseInt(s.strip()));
            }
        }
        if (shape.size() != 2) {
            throw new FixtureException(path + ": shape " + shape + ": expected a 2-D array (rows, columns)");
        }
        int n = shape.get(0);
        int d = shape.get(1);
        if (n < 1 || d < 1) {
            throw new FixtureException(path + ": shape " + shape + " is empty: expected at least one row and one column");
        }
        int width;
        switch (descr) {
            case "<f8": case "<i8": width = 8; break;
            case "<f4": case "<i4": width = 4; break;
            default:
                throw new FixtureException(path + ": dtype " + descr + ": expected one of <f8, <f4, <i8, <i4 (little-endian)");
        }
        int data = start + headerLen;
        if ((long) n * d * width != b.length - data) {
            throw new FixtureException(path + ": " + (b.length - data) + " data bytes != " + n + " x " + d + " x " + width
                    + " for shape " + shape + " and dtype " + descr + ": expected a complete array");
        }
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            int o = data + i * width;
            double v;
            switch (descr) {
                case "<f8": v = bb.getDouble(o); break;
                case "<f4": v = bb.getFloat(o); break;
                case "<i8": v = bb.getLong(o); break;
                default: v = bb.getInt(o); break;
            }
            if (!Double.isFinite(v)) {
                throw new FixtureException(path + " row " + (i / d + 1) + ", column " + (i % d + 1) + ": " + v + ": expected a finite number");
            }
            x[i] = v;
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < d; c++) {
            names.add("x" + (c + 1));
        }
        return new DataMatrix(n, d, x, names);
    }

    private static String group(Pattern p, String header, String path, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new FixtureException(path + ": NPY header has no " + key + ": expected a NumPy header dictionary");
        }
        return m.group(1);
    }
}
