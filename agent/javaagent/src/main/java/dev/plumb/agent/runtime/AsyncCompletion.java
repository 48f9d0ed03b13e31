package dev.plumb.agent.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Ends a call when the future or publisher its method returned completes, on whatever thread
 * that happens. Vert.x and Reactor are optional: their types are found by name in the monitored
 * class's loader when the class is transformed, and reached through method handles.
 */
abstract class AsyncCompletion {

    /**
     * Arranges for {@code method.finish} when {@code result} completes and returns what the
     * method must return: the same object, or for Reactor the publisher with the hooks attached.
     */
    abstract Object onComplete(Object result, MonitoredMethod method, Call call, long start);

    /** The completion for a return kind, or null when the call ends on return. */
    static AsyncCompletion of(ReturnKind kind, ClassLoader loader) {
        try {
            return switch (kind) {
                case VALUE -> null;
                case COMPLETION_STAGE -> new Stage();
                case VERTX_FUTURE -> new VertxFuture(loader);
                case REACTOR -> new Reactor(loader);
            };
        } catch (ReflectiveOperationException | LinkageError e) {
            AgentErrors.report("resolving " + kind + " completion", e);
            return null;
        }
    }

    /** {@code CompletionStage} and its subclasses, {@code CompletableFuture} first of all. */
    private static final class Stage extends AsyncCompletion {
        @Override
        Object onComplete(Object result, MonitoredMethod method, Call call, long start) {
            ((CompletionStage<?>) result).whenComplete((value, error) -> method.complete(call, start, value, error));
            return result;
        }
    }

    /** Vert.x {@code Future.onComplete(Handler<AsyncResult<T>>)}. */
    private static final class VertxFuture extends AsyncCompletion {
        private final ClassLoader loader;
        private final Class<?> handlerType;
        private final MethodHandle onComplete;
        private final MethodHandle succeeded;
        private final MethodHandle result;
        private final MethodHandle cause;

        VertxFuture(ClassLoader loader) throws ReflectiveOperationException {
            this.loader = loader;
            Class<?> future = Class.forName("io.vertx.core.Future", false, loader);
            Class<?> asyncResult = Class.forName("io.vertx.core.AsyncResult", false, loader);
            this.handlerType = Class.forName("io.vertx.core.Handler", false, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            this.onComplete = lookup.findVirtual(future, "onComplete", MethodType.methodType(future, handlerType))
                    .asType(MethodType.methodType(Object.class, Object.class, Object.class));
            this.succeeded = lookup.findVirtual(asyncResult, "succeeded", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            this.result = lookup.findVirtual(asyncResult, "result", MethodType.methodType(Object.class))
                    .asType(MethodType.methodType(Object.class, Object.class));
            this.cause = lookup.findVirtual(asyncResult, "cause", MethodType.methodType(Throwable.class))
                    .asType(MethodType.methodType(Throwable.class, Object.class));
        }

        @Override
        Object onComplete(Object future, MonitoredMethod method, Call call, long start) {
            Object handler = Proxy.newProxyInstance(loader, new Class<?>[] {handlerType}, (proxy, invoked, args) -> {
                if (invoked.getDeclaringClass() == Object.class) {
                    return switch (invoked.getName()) {
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "plumb completion of " + method.plan().functionName();
                    };
                }
                Object asyncResult = args[0];
                if ((boolean) succeeded.invokeExact(asyncResult)) {
                    method.complete(call, start, (Object) result.invokeExact(asyncResult), null);
                } else {
                    method.complete(call, start, null, (Throwable) cause.invokeExact(asyncResult));
                }
                return null;
            });
            try {
                Object unused = (Object) onComplete.invokeExact(future, handler);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot observe Vert.x future", e);
            }
            return future;
        }
    }

    /** Reactor {@code Mono}/{@code Flux}: hooks on error and on the final signal, cancel included. */
    private static final class Reactor extends AsyncCompletion {
        private final MethodHandle monoDoOnError;
        private final MethodHandle monoDoFinally;
        private final MethodHandle fluxDoOnError;
        private final MethodHandle fluxDoFinally;
        private final Class<?> mono;

        Reactor(ClassLoader loader) throws ReflectiveOperationException {
            this.mono = Class.forName("reactor.core.publisher.Mono", false, loader);
            Class<?> flux = Class.forName("reactor.core.publisher.Flux", false, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodType generic = MethodType.methodType(Object.class, Object.class, Consumer.class);
            this.monoDoOnError = lookup.findVirtual(mono, "doOnError", MethodType.methodType(mono, Consumer.class)).asType(generic);
            this.monoDoFinally = lookup.findVirtual(mono, "doFinally", MethodType.methodType(mono, Consumer.class)).asType(generic);
            this.fluxDoOnError = lookup.findVirtual(flux, "doOnError", MethodType.methodType(flux, Consumer.class)).asType(generic);
            this.fluxDoFinally = lookup.findVirtual(flux, "doFinally", MethodType.methodType(flux, Consumer.class)).asType(generic);
        }

        @Override
        Object onComplete(Object publisher, MonitoredMethod method, Call call, long start) {
            boolean isMono = mono.isInstance(publisher);
            Throwable[] failure = new Throwable[1];
            Consumer<Throwable> onError = error -> failure[0] = error;
            Consumer<Object> onFinally = signal -> {
                // SignalType's toString() is "cancel"; its constant name is the stable part.
                String name = signal instanceof Enum<?> constant ? constant.name() : String.valueOf(signal);
                Throwable error = name.equals("CANCEL")
                        ? new CancellationException("subscription cancelled")
                        : failure[0];
                method.complete(call, start, null, error);
            };
            try {
                Object hooked = isMono
                        ? (Object) monoDoOnError.invokeExact(publisher, (Consumer) onError)
                        : (Object) fluxDoOnError.invokeExact(publisher, (Consumer) onError);
                return isMono
                        ? (Object) monoDoFinally.invokeExact(hooked, (Consumer) onFinally)
                        : (Object) fluxDoFinally.invokeExact(hooked, (Consumer) onFinally);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot observe Reactor publisher", e);
            }
        }
    }
}
