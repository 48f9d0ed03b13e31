package dev.plumb.collector;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.alerts.AlertStore;
import dev.plumb.analytics.cost.CostEngine;
import dev.plumb.analytics.cost.Pricing;
import dev.plumb.collector.alerts.AlertEvaluator;
import dev.plumb.collector.alerts.AlertRoutes;
import dev.plumb.collector.alerts.AlertSettings;
import dev.plumb.collector.api.ApiRoutes;
import dev.plumb.collector.api.Blocking;
import dev.plumb.collector.chat.ChatRoutes;
import dev.plumb.collector.cost.CostRoutes;
import dev.plumb.collector.ops.CollectorMetrics;
import dev.plumb.collector.ops.OpsRoutes;
import dev.plumb.collector.otlp.OtlpReceivers;
import dev.plumb.collector.ui.DashboardRoutes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.net.BindException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Plumb collector: OTLP/gRPC, OTLP/HTTP and the API with dashboards, each on its
 * port, over one store. {@link #start} returns once every port is bound; {@link #close} stops
 * taking requests, lets those in flight finish, and flushes the store.
 */
public final class Collector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final long DRAIN_SECONDS = 10;

    private final PlumbConfig config;
    private final Store store;
    private final CostEngine costs;
    private final AlertStore alerts;
    private final AlertEvaluator evaluator;
    private final Vertx vertx;
    private final WorkerExecutor apiWorkers;
    private final List<HttpServer> servers;
    private final AtomicBoolean closing;

    private Collector(PlumbConfig config, Store store, CostEngine costs, AlertStore alerts, AlertEvaluator evaluator,
                      Vertx vertx, WorkerExecutor apiWorkers, List<HttpServer> servers, AtomicBoolean closing) {
        this.config = config;
        this.store = store;
        this.costs = costs;
        this.alerts = alerts;
        this.evaluator = evaluator;
        this.vertx = vertx;
        this.apiWorkers = apiWorkers;
        this.servers = servers;
        this.closing = closing;
    }

    /**
     * Validates {@code config}, opens the store and binds the three ports (0 picks a free one).
     * Throws IllegalArgumentException for a bad setting and IllegalStateException naming the
     * port and the setting to change when a port cannot be bound.
     */
    public static Collector start(PlumbConfig config) {
        return start(config, AlertSettings.fromEnvironment(System.getenv(), config.alertEvalInterval()));
    }

    /** {@link #start(PlumbConfig)} with alert settings of its own (repeat interval, retries), for embedding and tests. */
    public static Collector start(PlumbConfig config, AlertSettings alertSettings) {
        return start(config, alertSettings, System.getenv("PLUMB_SLACK_SIGNING_SECRET"));
    }

    /**
     * {@link #start(PlumbConfig, AlertSettings)} with the Slack signing secret that slash commands
     * are checked with (null: every slash command is refused).
     */
    public static Collector start(PlumbConfig config, AlertSettings alertSettings, String slackSigningSecret) {
        config.validate();
        Pricing pricing = config.pricingFile() == null ? Pricing.defaults() : Pricing.load(config.pricingFile());
        Store store = Store.open(config.dataDir(), config.storeOptions());
        CostEngine costs;
        AlertStore alerts;
        try {
            costs = CostEngine.on(store, pricing);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        try {
            alerts = AlertStore.on(store);
        } catch (RuntimeException e) {
            costs.close();
            store.close();
            throw e;
        }
        Vertx vertx = Vertx.vertx();
        AtomicBoolean closing = new AtomicBoolean();
        List<HttpServer> servers = new ArrayList<>();
        AlertEvaluator evaluator;
        WorkerExecutor apiWorkers = vertx.createSharedWorkerExecutor("plumb-api", 4);
        try {
            CollectorMetrics metrics = new CollectorMetrics(store::stats);
            OtlpReceivers otlp = new OtlpReceivers(vertx, store, metrics, config.maxRequestBytes());
            servers.add(bind(vertx, config, config.otlpGrpcPort(), "--otlp-grpc-port", "PLUMB_OTLP_GRPC_PORT",
                    true, otlp.grpc()));
            servers.add(bind(vertx, config, config.otlpHttpPort(), "--otlp-http-port", "PLUMB_OTLP_HTTP_PORT",
                    false, otlp.http()));
            servers.add(bind(vertx, config, config.httpPort(), "--http-port", "PLUMB_HTTP_PORT",
                    false, apiRouter(vertx, store, costs, metrics, new Blocking(apiWorkers), closing, alerts, alertSettings,
                            slackSigningSecret)));
            int apiPort = servers.get(2).actualPort();
            String base = "http://" + (config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost"
                    : config.host()) + ":" + apiPort + "/api/v1/alerts/";
            evaluator = new AlertEvaluator(store, alerts, alertSettings, metrics.registry(), id -> base + id).start();
        } catch (RuntimeException e) {
            servers.forEach(s -> s.close());
            apiWorkers.close();
            await(vertx.close(), "stop Vert.x");
            alerts.close();
            costs.close();
            store.close();
            throw e;
        }
        Collector collector = new Collector(config, store, costs, alerts, evaluator, vertx, apiWorkers,
                List.copyOf(servers), closing);
        LOG.info("plumb collector started: OTLP/gRPC {}:{}, OTLP/HTTP {}:{}, API and dashboards http://{}:{}/, data in {}",
                config.host(), collector.otlpGrpcPort(), config.host(), collector.otlpHttpPort(), config.host(),
                collector.httpPort(), config.dataDir().toAbsolutePath());
        return collector;
    }

    private static Router apiRouter(Vertx vertx, Store store, CostEngine costs, CollectorMetrics metrics,
                                    Blocking blocking, AtomicBoolean closing, AlertStore alerts,
                                    AlertSettings alertSettings, String slackSigningSecret) {
        Router root = Router.router(vertx);
        root.route().handler(ctx -> {
            ctx.addHeadersEndHandler(v -> metrics.httpRequest("api", ctx.response().getStatusCode()));
            ctx.next();
        });
        OpsRoutes.mount(root, store, metrics, closing::get);
        Router api = ApiRoutes.mount(vertx, root, store, blocking);
        CostRoutes.mount(api, costs, blocking);
        AlertRoutes.mount(api, store, alerts, alertSettings, blocking);
        ChatRoutes.mount(api, store, costs, alerts, slackSigningSecret, blocking);
        DashboardRoutes.mount(root);
        return root;
    }

    /**
     * Binds one server. Only gRPC speaks cleartext HTTP/2 (prior knowledge). The others stay on
     * HTTP/1.1 and ignore an {@code Upgrade: h2c} offer: the JDK's HttpClient offers it on every
     * first request, and about one such upgrade in twelve never completed against Vert.x (the
     * client hung past its own timeout), which would stall the CLI, the agent's exporter and
     * any Java caller of the API.
     */
    private static HttpServer bind(Vertx vertx, PlumbConfig config, int port, String flag, String variable,
                                   boolean http2, Handler<HttpServerRequest> handler) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(port)
                .setHttp2ClearTextEnabled(http2)
                .setDecompressionSupported(false)
                .setCompressionSupported(false);
        HttpServer server = vertx.createHttpServer(options).requestHandler(handler);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BindException) {
                throw new IllegalStateException("port " + port + " on " + config.host() + " is in use: set " + flag
                        + " or " + variable + " to a free port (0 picks one)", cause);
            }
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + port + " (" + flag + "): "
                    + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("listening on " + config.host() + ":" + port + " (" + flag
                    + ") did not complete in " + START_TIMEOUT_SECONDS + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + flag, e);
        }
        return server;
    }

    public int otlpGrpcPort() {
        return servers.get(0).actualPort();
    }

    public int otlpHttpPort() {
        return servers.get(1).actualPort();
    }

    public int httpPort() {
        return servers.get(2).actualPort();
    }

    public Store store() {
        return store;
    }

    /**
     * The router that answers the API port, with the API mounted under {@code /api/v1}: lets a
     * test list the calls actually served, so that the OpenAPI document cannot drift from them.
     */
    public Router httpRouter() {
        return (Router) servers.get(2).requestHandler();
    }

    public PlumbConfig config() {
        return config;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /**
     * Closes the collector when the JVM is asked to stop (Ctrl-C, SIGTERM), so that queued
     * records are flushed. For the CLI's {@code serve}; returns this collector.
     */
    public Collector closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "plumb-collector-shutdown"));
        return this;
    }

    /**
     * Stops accepting connections, waits up to 10 s for requests in flight to be answered,
     * flushes and closes the store. Safe to call more than once.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        LOG.info("plumb collector stopping: draining requests in flight");
        for (HttpServer server : servers) {
            await(server.shutdown(DRAIN_SECONDS, TimeUnit.SECONDS), "drain a server");
        }
        apiWorkers.close();
        try {
            evaluator.close();
            alerts.close();
            costs.close();
            store.close();
        } finally {
            await(vertx.close(), "stop Vert.x");
        }
        LOG.info("plumb collector stopped; data in {}", config.dataDir().toAbsolutePath());
    }

    private static void await(Future<?> future, String what) {
        try {
            future.toCompletionStage().toCompletableFuture().get(DRAIN_SECONDS + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("could not {} cleanly: {}", what, e.toString());
        }
    }
}
