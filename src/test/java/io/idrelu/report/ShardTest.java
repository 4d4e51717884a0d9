package io.idrelu.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shards partition the units: disjoint, covering, and malformed specs are refused. */
class ShardTest {
    @Test
    void shardsPartitionTheUnits() {
        for (int n = 1; n <= 6; n++) {
            for (int units = 0; units <= 20; units++) {
                List<Integer> seen = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Shard s = Shard.parse(i + "/" + n);
                    for (int k = 0; k < units; k++) {
                        if (s.selects(k)) {
                            seen.add(k);
                        }
                    }
                }
                assertThat(seen).as("n=%d units=%d", n, units).hasSize(units).doesNotHaveDuplicates();
            }
        }
        assertThat(Shard.parse("2/3").selects(1)).isTrue();
        assertThat(Shard.parse("2/3").selects(0)).isFalse();
    }

    @Test
    void malformedShardsAreRefused() {
        for (String bad : new String[] {"3/2", "0/2", "x/y", "1", "1/2/3", "-1/2", "1/0", ""}) {
            assertThatThrownBy(() -> Shard.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--shard '" + bad + "'");
        }
    }
}
