package dev.plumb.demo.inventory;

import dev.plumb.Monitor;
import dev.plumb.demo.workload.SimulatedWork;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reserves stock per SKU; the demo's "database" is a map that is restocked when it runs low. */
public final class StockLedger {

    private final Map<String, Integer> stock = new ConcurrentHashMap<>();

    @Monitor
    public int reserve(@Monitor.Attr("inventory.sku") String sku,
                       @Monitor.Attr("inventory.quantity") int quantity) throws InterruptedException {
        SimulatedWork.pause(30);
        if (SimulatedWork.chance(0.03)) {
            throw new OutOfStockException("no stock left for " + sku + " (asked for " + quantity + ")");
        }
        return stock.merge(sku, 100 - quantity, (left, ignored) -> left > quantity ? left - quantity : 100);
    }
}
