package dev.plumb.analytics.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpanIdTableTest {

    @Test
    void findsWhatWasPutAndNothingElseAcrossGrowth() {
        SpanIdTable<String> table = new SpanIdTable<>(16);
        // Hand-made ids that differ in one bit of one part, as tests write them: they must not collide.
        for (long i = 1; i <= 5_000; i++) {
            table.put(0, 0, i, "span-" + i);
            table.put(0, i, 1, "low-" + i);
            table.put(i, 0, 1, "high-" + i);
        }
        assertEquals(15_000, table.size());
        for (long i = 1; i <= 5_000; i++) {
            assertEquals("span-" + i, table.get(0, 0, i));
            assertEquals("low-" + i, table.get(0, i, 1));
            assertEquals("high-" + i, table.get(i, 0, 1));
        }
        assertNull(table.get(0, 0, 5_001));
        assertNull(table.get(7, 7, 7));
    }

    @Test
    void agreesWithAHashMapOnRandomIdsPutReplacedAndRemoved() {
        Random random = new Random(42);
        SpanIdTable<Long> table = new SpanIdTable<>(1_000);
        Map<String, Long> expected = new HashMap<>();
        long[][] keys = new long[20_000][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new long[] {random.nextLong(), random.nextLong(), random.nextLong()};
        }
        for (int step = 0; step < 100_000; step++) {
            long[] k = keys[random.nextInt(keys.length)];
            String name = k[0] + "/" + k[1] + "/" + k[2];
            if (random.nextInt(4) == 0) {
                table.remove(k[0], k[1], k[2]);
                expected.remove(name);
            } else {
                table.put(k[0], k[1], k[2], (long) step);
                expected.put(name, (long) step);
            }
        }
        for (long[] k : keys) {
            assertEquals(expected.get(k[0] + "/" + k[1] + "/" + k[2]), table.get(k[0], k[1], k[2]));
        }
    }

    @Test
    void clearForgetsEveryKeyAndTheTableIsUsableAgain() {
        SpanIdTable<String> table = new SpanIdTable<>(16);
        for (long i = 1; i <= 1_000; i++) {
            table.put(i, i, i, "a");
        }
        table.remove(3, 3, 3);
        assertNull(table.get(3, 3, 3));
        assertEquals(1_000, table.size(), "a removed key keeps its slot until the table is cleared");
        table.clear(16);
        assertEquals(0, table.size());
        assertNull(table.get(5, 5, 5));
        table.put(5, 5, 5, "b");
        assertEquals("b", table.get(5, 5, 5));
        assertEquals(1, table.size());
    }
}
