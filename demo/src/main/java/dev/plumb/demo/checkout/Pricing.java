package dev.plumb.demo.checkout;

import dev.plumb.Monitor;
import dev.plumb.demo.workload.SimulatedWork;

/** Prices an order line; the catalogue is small and fixed. */
final class Pricing {

    @Monitor
    public long quote(@Monitor.Attr("order.sku") String sku, int quantity) throws InterruptedException {
        SimulatedWork.pause(8);
        long unitCents = 500 + Math.floorMod(sku.hashCode(), 20) * 1_250L;
        return unitCents * quantity;
    }
}
