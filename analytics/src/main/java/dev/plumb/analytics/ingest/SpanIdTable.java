package dev.plumb.analytics.ingest;

import java.util.Arrays;

/**
 * A hash table from a span's identity (its trace id's two halves and its span id, as the
 * integers {@code span_rows} stores) to a value, in flat arrays: open addressing with linear
 * probing. {@link ParentResolver} puts every span it writes into one, a hundred thousand and
 * more a second; a {@code HashMap} allocated an entry and a key object per span, which lived
 * about as long as a young collection takes to come round and so were copied and promoted,
 * and chased pointers on every probe.
 *
 * <p>Nothing is ever deleted from the arrays: {@link #remove} leaves a marker in the slot, and
 * callers bound the table's life by {@link #clear}ing it (see {@link ParentResolver}'s two
 * generations). {@link #size} counts the slots used, marked ones too. Not thread-safe.
 */
final class SpanIdTable<V> {
    private static final Object REMOVED = new Object();

    /**
     * The keys, three longs a slot side by side (trace id high and low, span id), so that a
     * probe reads one cache line rather than one per array: the table is far larger than the
     * CPU's caches, and nearly every lookup misses them.
     */
    private long[] keys;
    /** The value of each slot; null marks a free slot, {@link #REMOVED} a removed one. */
    private Object[] values;
    private int mask;
    private int used;

    /** A table that holds {@code expected} keys at a load of at most one half without growing. */
    SpanIdTable(int expected) {
        allocate(capacityFor(expected));
    }

    private static int capacityFor(int keys) {
        return Integer.highestOneBit(Math.max(16, keys) * 2 - 1) << 1;
    }

    private void allocate(int capacity) {
        keys = new long[capacity * 3];
        values = new Object[capacity];
        mask = capacity - 1;
        used = 0;
    }

    private int slot(long high, long low, long span) {
        // The ids are random in practice but hand-made in tests (00…01, 00…02): mix all 192 bits.
        long h = (high * 0x9E3779B97F4A7C15L + low) * 0xC2B2AE3D27D4EB4FL + span;
        h *= 0x9E3779B97F4A7C15L;
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (values[i] != null && (keys[3 * i + 2] != span || keys[3 * i + 1] != low || keys[3 * i] != high)) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** The value of the key, or null when it has none (never put, or removed). */
    @SuppressWarnings("unchecked")
    V get(long high, long low, long span) {
        Object v = values[slot(high, low, span)];
        return v == REMOVED ? null : (V) v;
    }

    /** Sets the value of the key; {@code value} must not be null. */
    void put(long high, long low, long span, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        int i = slot(high, low, span);
        if (values[i] == null) {
            if ((used + 1) * 2 > values.length) {
                grow();
                i = slot(high, low, span);
            }
            keys[3 * i] = high;
            keys[3 * i + 1] = low;
            keys[3 * i + 2] = span;
            used++;
        }
        values[i] = value;
    }

    /** Takes the key's value away (its slot stays used until {@link #clear}). */
    void remove(long high, long low, long span) {
        int i = slot(high, low, span);
        if (values[i] != null) {
            values[i] = REMOVED;
        }
    }

    /** Slots in use, including removed keys'. */
    int size() {
        return used;
    }

    /** Forgets every key; keeps the arrays unless they grew past twice what {@code expected} keys need. */
    void clear(int expected) {
        int capacity = capacityFor(expected);
        if (values.length > capacity * 2) {
            allocate(capacity);
            return;
        }
        if (used > 0) {
            Arrays.fill(values, null);
            used = 0;
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(oldValues.length * 2);
        for (int j = 0; j < oldValues.length; j++) {
            if (oldValues[j] != null) {
                int i = slot(oldKeys[3 * j], oldKeys[3 * j + 1], oldKeys[3 * j + 2]);
                System.arraycopy(oldKeys, 3 * j, keys, 3 * i, 3);
                values[i] = oldValues[j];
                used++;
            }
        }
    }
}
