package dev.plumb.agent.runtime;

/** How a monitored method's result tells when the work it started is over. */
public enum ReturnKind {
    /** The call is over when the method returns or throws. */
    VALUE,
    /** A {@code java.util.concurrent.CompletionStage}: over when it completes. */
    COMPLETION_STAGE,
    /** A Vert.x {@code io.vertx.core.Future}: over when it completes. */
    VERTX_FUTURE,
    /** A Reactor {@code Mono} or {@code Flux}: over on its terminal signal or cancellation. */
    REACTOR
}
