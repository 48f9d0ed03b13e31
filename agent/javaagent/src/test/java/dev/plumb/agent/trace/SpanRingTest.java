package dev.plumb.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SpanRingTest {

    @Test
    void drainsInOrderAndDropsWhatDoesNotFit() {
        SpanRing<Integer> ring = new SpanRing<>(3);
        assertThat(ring.offer(1)).isZero();
        assertThat(ring.offer(2)).isEqualTo(1);
        assertThat(ring.offer(3)).isEqualTo(2);
        assertThat(ring.offer(4)).isEqualTo(-1);
        assertThat(ring.dropped()).isEqualTo(1);

        List<Integer> out = new ArrayList<>();
        assertThat(ring.drain(out::add, 2)).isEqualTo(2);
        assertThat(ring.offer(5)).isEqualTo(1);
        assertThat(ring.offer(6)).isEqualTo(2);
        assertThat(ring.offer(7)).isEqualTo(-1);
        assertThat(ring.drain(out::add, 100)).isEqualTo(3);
        assertThat(out).containsExactly(1, 2, 3, 5, 6);
        assertThat(ring.dropped()).isEqualTo(2);
        assertThat(ring.size()).isZero();
    }

    @Test
    void wrapsAroundManyTimesWithACapacityThatIsNotAPowerOfTwo() {
        SpanRing<Long> ring = new SpanRing<>(5);
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < 1_000; i++) {
            assertThat(ring.offer(i)).isGreaterThanOrEqualTo(0);
            if (i % 4 == 3) {
                ring.drain(out::add, 100);
            }
        }
        ring.drain(out::add, 100);
        assertThat(out).hasSize(1_000);
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i)).isEqualTo(i);
        }
        assertThat(ring.dropped()).isZero();
    }

    /** Many producers against one draining consumer: nothing lost, nothing twice, each producer's order kept. */
    @Test
    void concurrentProducersLoseNothingButWhatIsCountedAsDropped() throws Exception {
        int producers = 4;
        int perProducer = 200_000;
        SpanRing<long[]> ring = new SpanRing<>(1_000);
        CountDownLatch start = new CountDownLatch(1);
        long[] accepted = new long[producers];
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    if (ring.offer(new long[] {producer, i}) >= 0) {
                        accepted[producer]++;
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        long[] received = new long[producers];
        long[] lastSeen = {-1, -1, -1, -1};
        AtomicBoolean outOfOrder = new AtomicBoolean();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread consumer = new Thread(() -> {
            while (producing.get() || ring.size() > 0) {
                ring.drain(element -> {
                    int producer = (int) element[0];
                    if (element[1] <= lastSeen[producer]) {
                        outOfOrder.set(true);
                    }
                    lastSeen[producer] = element[1];
                    received[producer]++;
                }, 64);
            }
        });
        consumer.start();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        producing.set(false);
        consumer.join();

        long totalAccepted = 0;
        for (int p = 0; p < producers; p++) {
            assertThat(received[p]).as("producer %d", p).isEqualTo(accepted[p]);
            totalAccepted += accepted[p];
        }
        assertThat(outOfOrder).isFalse();
        assertThat(totalAccepted + ring.dropped()).isEqualTo((long) producers * perProducer);
        assertThat(totalAccepted).isPositive();
    }
}
