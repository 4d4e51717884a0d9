package io.idrelu.report;

/**
 * One of {@code count} shards of a check ({@code --shard index/count}, 1-based): the shard runs the units
 * whose 0-based position {@code k} in catalogue order has {@code k % count == index - 1}, so the shards of
 * one configuration are disjoint and together cover every unit.
 */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": expected i/n with 1 <= i <= n");
        }
    }

    /** The whole run as one shard. */
    public static final Shard ALL = new Shard(1, 1);

    /** Parses {@code "i/n"}; anything else is a usage error that names the value. */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("--shard '" + text + "': expected i/n with 1 <= i <= n, e.g. 2/4");
        }
        int i;
        int n;
        try {
            i = Integer.parseInt(parts[0].trim());
            n = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard '" + text + "': expected i/n with integers 1 <= i <= n, e.g. 2/4");
        }
        if (n < 1 || i < 1 || i > n) {
            throw new IllegalArgumentException("--shard '" + text + "': expected i/n with 1 <= i <= n, e.g. 2/4");
        }
        return new Shard(i, n);
    }

    /** Whether the unit at 0-based catalogue position {@code k} belongs to this shard. */
    public boolean selects(int k) {
        return k % count == index - 1;
    }

    public boolean isWhole() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
