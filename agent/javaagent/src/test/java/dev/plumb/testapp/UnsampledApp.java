package dev.plumb.testapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.Monitor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

/**
 * Calls whose trace the sampler drops (run it under {@code parentbased_traceidratio} 0): a
 * request arriving with a not-sampled {@code traceparent}, and a root call. Each monitored call
 * forwards to an echo server with the JDK's {@code HttpClient} and reports its MDC and the
 * {@code traceparent} the echo server received.
 */
public final class UnsampledApp {

    /** The trace of the not-sampled request the app sends itself. */
    public static final String INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

    private UnsampledApp() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        HttpClient client = HttpClient.newHttpClient();
        Forwarder forwarder = new Forwarder(client, URI.create(base + "/echo"));
        server.createContext("/front", new FrontHandler(forwarder));
        server.createContext("/echo", new ClientPropagationApp.EchoHandler());
        // The front handler calls the same server, so handlers need threads of their own.
        ExecutorService handlers = Executors.newFixedThreadPool(2);
        server.setExecutor(handlers);
        server.start();

        String incoming = client.send(HttpRequest.newBuilder(URI.create(base + "/front"))
                .header("traceparent", INCOMING).build(), HttpResponse.BodyHandlers.ofString()).body();
        System.out.println("INCOMING " + incoming);
        System.out.println("ROOT " + forwarder.forward());
        try {
            forwarder.fail();
        } catch (IllegalStateException expected) {
            System.out.println("FAILED " + expected.getMessage());
        }
        // A publisher subscribed twice is one call, sampled or not.
        Mono<String> quote = forwarder.quote();
        System.out.println("RESUBSCRIBED " + quote.block() + " " + quote.block());
        System.out.println("MDC_AFTER trace_id=" + MDC.get("trace_id"));
        System.out.println("READY");
        // Stay up for the scrape until the test closes stdin.
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        server.stop(0);
        handlers.shutdown();
    }

    /** The outgoing call. */
    public static final class Forwarder {
        private final HttpClient client;
        private final URI echo;

        Forwarder(HttpClient client, URI echo) {
            this.client = client;
            this.echo = echo;
        }

        /** Returns {@code mdc=<trace_id>-<span_id>-<trace_flags> sent=<traceparent the echo server saw>}. */
        @Monitor
        public String forward() throws IOException, InterruptedException {
            String mdc = MDC.get("trace_id") + "-" + MDC.get("span_id") + "-" + MDC.get("trace_flags");
            String sent = client.send(HttpRequest.newBuilder(echo).build(), HttpResponse.BodyHandlers.ofString()).body();
            return "mdc=" + mdc + " sent=" + sent;
        }

        @Monitor
        public Mono<String> quote() {
            return Mono.just("quote");
        }

        @Monitor
        public void fail() {
            throw new IllegalStateException("declined in trace " + MDC.get("trace_id"));
        }
    }

    /** Continues the incoming trace and forwards. */
    static final class FrontHandler implements HttpHandler {
        private final Forwarder forwarder;

        FrontHandler(Forwarder forwarder) {
            this.forwarder = forwarder;
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            String handlerMdc = MDC.get("trace_id") + "-" + MDC.get("span_id") + "-" + MDC.get("trace_flags");
            String forwarded;
            try {
                forwarded = forwarder.forward();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                forwarded = "interrupted";
            }
            HttpApp.respond(exchange, 200, "handler=" + handlerMdc + " " + forwarded);
        }
    }
}
