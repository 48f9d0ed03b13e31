package dev.plumb.demo.payment;

import dev.plumb.demo.web.DemoServer;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The payment service: charges orders for checkout. */
public final class PaymentService {

    private PaymentService() {
    }

    public static void main(String[] args) throws Exception {
        DemoServer server = DemoServer.start(Map.of("/charge", new PaymentHandler()));
        LoggerFactory.getLogger(PaymentService.class).info("payment listening on 127.0.0.1:{}", server.port());
    }
}
