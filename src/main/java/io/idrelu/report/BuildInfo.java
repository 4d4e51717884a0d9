package io.idrelu.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Which idrelu made a result: the project version (from the POM) and the git commit the classes were built
 * from, read from {@code io/idrelu/build.properties}, which the build writes (maven-antrun-plugin in
 * {@code pom.xml}: {@code git rev-parse --short=12 HEAD}, and {@code git status --porcelain --untracked-files=no} for uncommitted
 * changes). Shown by {@code idrelu --version} and recorded in the {@code environment} of report.json and
 * sweep.json, so two reports can be traced to their code.
 *
 * @param version project version, or {@link #UNKNOWN} when the classes were not built by Maven
 * @param commit  abbreviated commit hash, or {@link #UNKNOWN} when the build ran outside a git repository
 * @param dirty   whether tracked files differed from that commit when the jar was built
 */
public record BuildInfo(String version, String commit, boolean dirty) {
    public static final String UNKNOWN = "unknown";
    static final String RESOURCE = "/io/idrelu/build.properties";

    private static final BuildInfo CURRENT = load();

    /** The build of the running classes. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** From build.properties content; missing or blank entries become {@link #UNKNOWN}. */
    static BuildInfo of(Properties p) {
        return new BuildInfo(value(p, "version"), value(p, "commit"), Boolean.parseBoolean(p.getProperty("dirty", "false").trim()));
    }

    /** e.g. {@code 0.1.0-SNAPSHOT (commit 53756e5a1b2c)} or {@code ... (commit 53756e5a1b2c + uncommitted changes)}. */
    public String describe() {
        return version + " (commit " + commit + (dirty ? " + uncommitted changes" : "") + ")";
    }

    private static String value(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        // an unfiltered placeholder means the resource was not produced by the build step
        return v.isEmpty() || v.contains("${") ? UNKNOWN : v;
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        return of(p);
    }
}
