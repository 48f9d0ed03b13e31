package dev.plumb.agent.trace;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A bounded, lock-free queue of ended spans: any number of application threads offer, one
 * export thread drains. A full ring refuses the span and counts it, so a slow exporter costs
 * the application dropped spans, never memory or a blocked thread.
 *
 * <p>Producers claim a position with one compare-and-set on the producer index and then publish
 * the element into its slot with a release store; the consumer takes a slot only once it is
 * non-null, so a claimed but not yet published slot simply ends this drain.
 *
 * @param <E> the element type
 */
public final class SpanRing<E> {

    private final AtomicReferenceArray<E> slots;
    private final int mask;
    private final int capacity;
    private final AtomicLong producer = new AtomicLong();
    /** Written only by the consumer; producers read it to see how much room is left. */
    private final AtomicLong consumer = new AtomicLong();
    private final LongAdder dropped = new LongAdder();

    /**
     * @param capacity the most elements it holds; at least 1
     */
    public SpanRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        int size = Integer.highestOneBit(capacity);
        if (size < capacity) {
            size <<= 1;
        }
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /**
     * Adds an element unless the ring is full.
     *
     * @return how many elements were queued before this one (0 for an empty ring), or -1 when
     *     the ring was full and the element was dropped and counted
     */
    public long offer(E element) {
        long position;
        long taken;
        do {
            position = producer.get();
            taken = consumer.get();
            if (position - taken >= capacity) {
                dropped.increment();
                return -1;
            }
        } while (!producer.compareAndSet(position, position + 1));
        slots.lazySet((int) (position & mask), element);
        return position - taken;
    }

    /**
     * Hands up to {@code max} elements, oldest first, to {@code sink}; only one thread may drain.
     *
     * @return how many were handed over
     */
    public int drain(Consumer<? super E> sink, int max) {
        long position = consumer.get();
        int count = 0;
        while (count < max) {
            int index = (int) (position & mask);
            E element = slots.get(index);
            if (element == null) {
                break;
            }
            slots.lazySet(index, null);
            position++;
            count++;
            // Publish the freed slot before handing the element on, so producers see room sooner.
            consumer.lazySet(position);
            sink.accept(element);
        }
        return count;
    }

    /** Elements claimed and not yet drained (an estimate while producers are running). */
    public long size() {
        return Math.max(0, producer.get() - consumer.get());
    }

    /** The most elements it holds. */
    public int capacity() {
        return capacity;
    }

    /** How many elements were refused because the ring was full, since it was made. */
    public long dropped() {
        return dropped.sum();
    }
}
