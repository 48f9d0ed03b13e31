package dev.plumb.testapp;

import dev.plumb.Monitor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Monitored methods returning Vert.x futures, Reactor publishers and a cancelled CompletableFuture. */
public final class AsyncApp {

    private AsyncApp() {
    }

    public static void main(String[] args) throws Exception {
        Jobs jobs = new Jobs();
        System.out.println("VERTX_SLOW " + jobs.vertxSlow().toCompletionStage().toCompletableFuture().join());
        try {
            jobs.vertxFails().toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException expected) {
            System.out.println("VERTX_FAILED " + expected.getCause().getMessage());
        }
        System.out.println("MONO_SLOW " + jobs.monoSlow().block());
        // Subscribed twice, one call: SamplingIT checks the same of a call the sampler drops.
        Mono<String> quote = jobs.monoQuote();
        System.out.println("MONO_TWICE " + quote.block() + " " + quote.block());
        try {
            jobs.monoFails().block();
        } catch (IllegalArgumentException expected) {
            System.out.println("MONO_FAILED " + expected.getMessage());
        }
        // take(3) cancels the endless upstream once it has three elements.
        System.out.println("FLUX_TAKEN " + jobs.fluxForever().take(3).collectList().block());
        System.out.println("FLUX_DONE " + jobs.fluxOfThree().collectList().block());
        CompletableFuture<String> pending = jobs.neverCompletes();
        System.out.println("CF_CANCELLED " + pending.cancel(true));
        jobs.timer.shutdown();
        System.out.println("READY");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    /** Every public method is monitored; each returns before its work is over. */
    @Monitor
    public static class Jobs {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        public Future<String> vertxSlow() {
            Promise<String> promise = Promise.promise();
            timer.schedule(() -> promise.complete("late"), 300, TimeUnit.MILLISECONDS);
            return promise.future();
        }

        public Future<String> vertxFails() {
            Promise<String> promise = Promise.promise();
            timer.schedule(() -> promise.fail(new IllegalStateException("vertx broke")), 50, TimeUnit.MILLISECONDS);
            return promise.future();
        }

        public Mono<String> monoSlow() {
            return Mono.delay(Duration.ofMillis(300)).map(tick -> "mono late");
        }

        public Mono<String> monoQuote() {
            return Mono.just("quote");
        }

        public Mono<String> monoFails() {
            return Mono.error(new IllegalArgumentException("mono broke"));
        }

        public Flux<Long> fluxForever() {
            return Flux.interval(Duration.ofMillis(10));
        }

        public Flux<Integer> fluxOfThree() {
            return Flux.just(1, 2, 3);
        }

        public CompletableFuture<String> neverCompletes() {
            return new CompletableFuture<>();
        }
    }
}
