package io.idrelu.setting;

import io.idrelu.model.FixtureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Data-set boundary (issue 11): CSV and NPY load, every error names row/line and column, one line, FixtureException. */
class DataSetLoaderTest {
    @TempDir
    Path dir;

    @Test
    void shippedWineLoadsStandardisesAndWhitens() {
        DataMatrix m = DataSetLoader.load("classpath:datasets/wine.csv", 13);
        assertThat(m.rows()).isEqualTo(178);
        assertThat(m.columns().get(0)).isEqualTo("alcohol");
        assertThat(m.get(0, 12)).isEqualTo(1065.0);
        DataMatrix s = m.standardised();
        DataMatrix w = m.whitened();
        for (int a = 0; a < 13; a++) {
            assertThat(Math.abs(s.means()[a])).isLessThan(1e-13);
            for (int b = 0; b < 13; b++) {
                double cs = 0;
                double cw = 0;
                for (int i = 0; i < 178; i++) {
                    cs += s.get(i, a) * s.get(i, b) / 178;
                    cw += w.get(i, a) * w.get(i, b) / 178;
                }
                if (a == b) {
                    assertThat(cs).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
                }
                assertThat(cw).as("whitened second moment [" + a + "][" + b + "]").isCloseTo(a == b ? 1.0 : 0.0, org.assertj.core.data.Offset.offset(1e-10));
            }
        }
        // negative control: standardised (not whitened) wine has strongly correlated columns (flavanoids, total_phenols)
        double c = 0;
        for (int i = 0; i < 178; i++) {
            c += s.get(i, 5) * s.get(i, 6) / 178;
        }
        assertThat(c).isGreaterThan(0.8);
    }

    @Test
    void csvErrorsNameLineAndColumn() throws IOException {
        expect("a,b\n1,2\n3\n", "line 3: 1 fields != 2 in the header");
        expect("1,2\n3,x\n", "line 2, column 2: 'x' is not a number");
        expect("1,2\n3,NaN\n", "line 2, column 2: NaN: expected a finite number");
        expect("1,2\n3,Infinity\n", "line 2, column 2: Infinity: expected a finite number");
        expect("a,b\n\n", "no data rows");
        expect("", "no data rows");
        expect("1,2,3\n", "rows have 3 columns != architecture.d = 2");
        assertThatThrownBy(() -> DataSetLoader.load(dir.resolve("missing.csv").toString(), 2))
                .isInstanceOf(FixtureException.class).hasMessageContaining("no such file");
        // a header then numbers loads
        Path ok = dir.resolve("ok.csv");
        Files.writeString(ok, "p,q\n1, 2\n\n3,4.5\n");
        DataMatrix m = DataSetLoader.load(ok.toString(), 2);
        assertThat(m.rows()).isEqualTo(2);
        assertThat(m.get(1, 1)).isEqualTo(4.5);
        assertThat(m.columns()).containsExactly("p", "q");
    }

    @Test
    void constantColumnCannotBeStandardised() throws IOException {
        Path p = dir.resolve("c.csv");
        Files.writeString(p, "1,5\n2,5\n");
        assertThatThrownBy(() -> DataSetLoader.load(new InputLaw.DataSet(p.toString(), true, false), 2))
                .hasMessageContaining("column 2 (x2) is constant");
    }

    @Test
    void npyLoadsAndRefusesBadFiles() throws IOException {
        Path p = dir.resolve("a.npy");
        Files.write(p, npy("<f8", 2, 3, new double[] {1, 2, 3, 4, 5, 6}));
        DataMatrix m = DataSetLoader.load(p.toString(), 3);
        assertThat(m.get(1, 2)).isEqualTo(6.0);
        Files.write(p, npy("<f8", 2, 3, new double[] {1, 2, 3, 4, Double.NaN, 6}));
        assertThatThrownBy(() -> DataSetLoader.load(p.toString(), 3)).isInstanceOf(FixtureException.class)
                .hasMessageContaining("row 2, column 2: NaN");
        Files.write(p, npy("<c16", 2, 3, new double[] {1, 2, 3, 4, 5, 6}));
        assertThatThrownBy(() -> DataSetLoader.load(p.toString(), 3)).hasMessageContaining("dtype <c16: expected one of <f8");
        byte[] full = npy("<f8", 2, 3, new double[] {1, 2, 3, 4, 5, 6});
        Files.write(p, java.util.Arrays.copyOf(full, full.length - 8));
        assertThatThrownBy(() -> DataSetLoader.load(p.toString(), 3)).hasMessageContaining("data bytes != 2 x 3 x 8");
        Files.write(p, "not npy at all".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> DataSetLoader.load(p.toString(), 3)).hasMessageContaining("not an NPY file");
    }

    private void expect(String csv, String message) throws IOException {
        Path p = dir.resolve("t.csv");
        Files.writeString(p, csv);
        assertThatThrownBy(() -> DataSetLoader.load(p.toString(), 2)).isInstanceOf(FixtureException.class)
                .hasMessageContaining(message).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith(p.toString()));
    }

    static byte[] npy(String descr, int n, int d, double[] v) {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + n + ", " + d + "), }";
        int pad = 64 - (10 + header.length() + 1) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }
}
