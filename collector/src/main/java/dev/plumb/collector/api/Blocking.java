package dev.plumb.collector.api;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;

/**
 * Runs store queries on the API's worker pool, never on the event loop, and routes their
 * failures to the API's one failure handler.
 */
public final class Blocking {
    private final WorkerExecutor workers;

    public Blocking(WorkerExecutor workers) {
        this.workers = workers;
    }

    /** Runs {@code work} on a worker thread; calls may run in parallel. */
    public <T> Future<T> run(Callable<T> work) {
        return workers.executeBlocking(work, false);
    }

    /** Runs {@code query} on a worker and answers 200 with its result as JSON, or fails the request. */
    public <T> void respond(RoutingContext ctx, Callable<T> query) {
        respond(ctx, 200, query);
    }

    /** As {@link #respond(RoutingContext, Callable)} with another success status, such as 201. */
    public <T> void respond(RoutingContext ctx, int status, Callable<T> query) {
        run(query).onComplete(result -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            if (result.succeeded()) {
                ApiJson.send(ctx, status, result.result());
            } else {
                ctx.fail(result.cause());
            }
        });
    }
}
