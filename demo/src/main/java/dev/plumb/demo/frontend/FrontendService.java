package dev.plumb.demo.frontend;

import dev.plumb.demo.web.DemoServer;
import java.net.URI;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The shop's frontend, with the load driver that plays its shoppers ({@code PLUMB_DEMO_RPS}, default 4). */
public final class FrontendService {

    private FrontendService() {
    }

    public static void main(String[] args) throws Exception {
        FrontendHandler handler = new FrontendHandler(
                new Storefront(new CheckoutClient(DemoServer.requiredUrl("PLUMB_DEMO_CHECKOUT_URL"))));
        DemoServer server = DemoServer.start(Map.of("/", handler));
        LoggerFactory.getLogger(FrontendService.class).info("frontend listening on 127.0.0.1:{}", server.port());
        double rps = Double.parseDouble(System.getenv().getOrDefault("PLUMB_DEMO_RPS", "4"));
        if (rps > 0) {
            new LoadDriver(URI.create("http://127.0.0.1:" + server.port())).start(rps);
        }
    }
}
