package dev.plumb.demo.payment;

import dev.plumb.Monitor;
import dev.plumb.demo.workload.SimulatedWork;
import java.util.concurrent.ThreadLocalRandom;

/** Charges cards through a simulated gateway: slow, sometimes down, sometimes declining. */
public final class CardProcessor {

    private final FraudScreen fraudScreen = new FraudScreen();

    /**
     * A decline is part of the contract ({@code ignoreExceptions}), so it counts as {@code ok};
     * a gateway failure is an error.
     */
    @Monitor(ignoreExceptions = CardDeclinedException.class)
    public String charge(@Monitor.Attr("order.id") String orderId,
                         @Monitor.Attr("payment.amount_cents") long amountCents) throws CardDeclinedException, InterruptedException {
        int risk = fraudScreen.score(orderId, amountCents);
        SimulatedWork.pause(90);
        if (SimulatedWork.chance(0.04)) {
            throw new PaymentGatewayException("card network timed out after 2000 ms for order " + orderId);
        }
        if (risk > 90 || SimulatedWork.chance(0.03)) {
            throw new CardDeclinedException("issuer declined order " + orderId + " (risk " + risk + ")");
        }
        return "ch_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    }
}
