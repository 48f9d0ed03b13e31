package dev.plumb.demo.payment;

import dev.plumb.Monitor;
import dev.plumb.demo.workload.SimulatedWork;
import java.util.concurrent.ThreadLocalRandom;

/** Scores an order for fraud before it is charged. */
public final class FraudScreen {

    @Monitor
    public int score(@Monitor.Attr("order.id") String orderId, long amountCents) throws InterruptedException {
        SimulatedWork.pause(25);
        int base = amountCents > 50_000 ? 40 : 5;
        return base + ThreadLocalRandom.current().nextInt(55);
    }
}
