package dev.plumb.demo.inventory;

import dev.plumb.demo.web.DemoServer;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The inventory service: reserves stock for checkout. The cluster simulator gives it a volume. */
public final class InventoryService {

    private InventoryService() {
    }

    public static void main(String[] args) throws Exception {
        DemoServer server = DemoServer.start(Map.of("/reserve", new InventoryHandler()));
        LoggerFactory.getLogger(InventoryService.class).info("inventory listening on 127.0.0.1:{}", server.port());
    }
}
