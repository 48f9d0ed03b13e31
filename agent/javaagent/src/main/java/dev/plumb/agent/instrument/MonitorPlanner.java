package dev.plumb.agent.instrument;

import dev.plumb.agent.runtime.MethodPlan;
import dev.plumb.agent.runtime.ReturnKind;
import io.opentelemetry.api.trace.SpanKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationList;
import net.bytebuddy.description.enumeration.EnumerationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.description.type.TypeList;

/**
 * Decides, from a class file alone, which methods of a type are monitored and how: its own
 * {@code @Monitor} annotations, a {@code @Monitor(inherited = true)} on a supertype, the
 * include/exclude patterns, and JDK {@code HttpHandler}s. Annotations are read by name from the
 * class file, so the agent never loads the application's {@code dev.plumb.Monitor} class.
 */
final class MonitorPlanner {

    static final String MONITOR = "dev.plumb.Monitor";
    static final String ATTR = "dev.plumb.Monitor$Attr";
    static final String HTTP_HANDLER = "com.sun.net.httpserver.HttpHandler";
    static final String HTTP_EXCHANGE = "com.sun.net.httpserver.HttpExchange";
    private static final Set<String> OBJECT_METHODS = Set.of("equals", "hashCode", "toString", "finalize", "clone");

    private final MethodPatterns include;
    private final MethodPatterns exclude;

    MonitorPlanner(MethodPatterns include, MethodPatterns exclude) {
        this.include = include;
        this.exclude = exclude;
    }

    /** The plans for the methods of {@code type} that are monitored; empty when none is. */
    List<Planned> plan(TypeDescription type) {
        List<Planned> result = new ArrayList<>();
        if (type.isInterface() || type.isAnnotation()) {
            return result;
        }
        boolean httpHandler = implementsHttpHandler(type);
        AnnotationDescription classMonitor = monitorOf(type.getDeclaredAnnotations());
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            if (!isInstrumentable(method) || exclude.matches(type.getName(), method.getName())) {
                continue;
            }
            if (httpHandler && isHandle(method)) {
                AnnotationDescription own = monitorOf(method.getDeclaredAnnotations());
                result.add(new Planned(method, plan(type, method, own, true)));
                continue;
            }
            AnnotationDescription monitor = monitorOf(method.getDeclaredAnnotations());
            if (monitor == null && classMonitor != null && isPublicApi(method)) {
                monitor = classMonitor;
            }
            if (monitor == null && isPublicApi(method)) {
                monitor = inheritedMonitor(type, method);
            }
            if (monitor != null || (isPublicApi(method) && include.matches(type.getName(), method.getName()))) {
                result.add(new Planned(method, plan(type, method, monitor, false)));
            }
        }
        return result;
    }

    /** A method and its plan. */
    record Planned(MethodDescription.InDefinedShape method, MethodPlan plan) {
    }

    private static MethodPlan plan(TypeDescription type, MethodDescription method,
            AnnotationDescription monitor, boolean httpHandler) {
        String shortName = type.getSimpleName() + "." + method.getName();
        String name = monitor == null ? "" : monitor.getValue("name").resolve(String.class);
        String kind = monitor == null
                ? "INTERNAL"
                : monitor.getValue("kind").resolve(EnumerationDescription.class).getValue();
        List<String> ignored = new ArrayList<>();
        if (monitor != null) {
            for (TypeDescription exception : monitor.getValue("ignoreExceptions").resolve(TypeDescription[].class)) {
                ignored.add(exception.getName());
            }
        }
        List<String> arguments = new ArrayList<>();
        for (ParameterDescription parameter : method.getParameters()) {
            AnnotationDescription attr = annotation(parameter.getDeclaredAnnotations(), ATTR);
            arguments.add(attr == null ? null : attr.getValue("value").resolve(String.class));
        }
        return new MethodPlan(
                type.getName() + "." + method.getName(),
                shortName,
                name.isEmpty() ? shortName : name,
                httpHandler ? SpanKind.SERVER : SpanKind.valueOf(kind),
                httpHandler || monitor == null || monitor.getValue("span").resolve(Boolean.class),
                monitor == null || monitor.getValue("log").resolve(Boolean.class),
                monitor != null && monitor.getValue("recordReturn").resolve(Boolean.class),
                monitor == null ? 0 : monitor.getValue("minDurationMicros").resolve(Long.class) * 1_000L,
                List.copyOf(ignored),
                java.util.Collections.unmodifiableList(arguments),
                httpHandler ? ReturnKind.VALUE : returnKind(method.getReturnType().asErasure()),
                httpHandler);
    }

    /** Whether some type that this one extends or implements asks for monitoring of this method. */
    private static AnnotationDescription inheritedMonitor(TypeDescription type, MethodDescription method) {
        Set<String> seen = new HashSet<>();
        List<TypeDefinition> pending = new ArrayList<>(supertypes(type));
        while (!pending.isEmpty()) {
            TypeDescription supertype = pending.remove(pending.size() - 1).asErasure();
            if (!seen.add(supertype.getName()) || supertype.getName().startsWith("java.")) {
                continue;
            }
            AnnotationDescription classLevel = monitorOf(supertype.getDeclaredAnnotations());
            for (MethodDescription.InDefinedShape candidate : supertype.getDeclaredMethods()) {
                if (!sameSignature(candidate, method)) {
                    continue;
                }
                AnnotationDescription own = monitorOf(candidate.getDeclaredAnnotations());
                if (own != null && own.getValue("inherited").resolve(Boolean.class)) {
                    return own;
                }
                if (own == null && classLevel != null && candidate.isPublic()
                        && classLevel.getValue("inherited").resolve(Boolean.class)) {
                    return classLevel;
                }
            }
            pending.addAll(supertypes(supertype));
        }
        return null;
    }

    private static List<TypeDefinition> supertypes(TypeDescription type) {
        List<TypeDefinition> result = new ArrayList<>();
        if (type.getSuperClass() != null) {
            result.add(type.getSuperClass());
        }
        for (TypeDescription.Generic implemented : type.getInterfaces()) {
            result.add(implemented);
        }
        return result;
    }

    private static boolean sameSignature(MethodDescription a, MethodDescription b) {
        if (!a.getName().equals(b.getName())) {
            return false;
        }
        TypeList left = a.getParameters().asTypeList().asErasures();
        TypeList right = b.getParameters().asTypeList().asErasures();
        return left.equals(right);
    }

    static ReturnKind returnKind(TypeDescription returnType) {
        if (returnType.isPrimitive() || returnType.isArray()) {
            return ReturnKind.VALUE;
        }
        String name = returnType.getName();
        if (name.equals("reactor.core.publisher.Mono") || name.equals("reactor.core.publisher.Flux")) {
            return ReturnKind.REACTOR;
        }
        try {
            if (returnType.isAssignableTo(CompletionStage.class)) {
                return ReturnKind.COMPLETION_STAGE;
            }
            if (hasSupertype(returnType, "io.vertx.core.Future")) {
                return ReturnKind.VERTX_FUTURE;
            }
        } catch (RuntimeException unresolvable) {
            // A return type whose class file cannot be read is treated as a plain value.
            return ReturnKind.VALUE;
        }
        return ReturnKind.VALUE;
    }

    static boolean implementsHttpHandler(TypeDescription type) {
        try {
            return hasSupertype(type, HTTP_HANDLER);
        } catch (RuntimeException unresolvable) {
            return false;
        }
    }

    private static boolean hasSupertype(TypeDescription type, String name) {
        Set<String> seen = new HashSet<>();
        List<TypeDefinition> pending = new ArrayList<>();
        pending.add(type);
        while (!pending.isEmpty()) {
            TypeDescription current = pending.remove(pending.size() - 1).asErasure();
            if (current.getName().equals(name)) {
                return true;
            }
            if (seen.add(current.getName()) && !current.getName().equals("java.lang.Object")) {
                pending.addAll(supertypes(current));
            }
        }
        return false;
    }

    private static boolean isHandle(MethodDescription method) {
        return method.getName().equals("handle")
                && method.getParameters().size() == 1
                && method.getParameters().get(0).getType().asErasure().getName().equals(HTTP_EXCHANGE);
    }

    private static boolean isInstrumentable(MethodDescription method) {
        return method.isMethod() && !method.isAbstract() && !method.isNative()
                && !method.isSynthetic() && !method.isBridge();
    }

    private static boolean isPublicApi(MethodDescription method) {
        return method.isPublic() && !OBJECT_METHODS.contains(method.getName());
    }

    private static AnnotationDescription monitorOf(AnnotationList annotations) {
        return annotation(annotations, MONITOR);
    }

    private static AnnotationDescription annotation(AnnotationList annotations, String name) {
        for (AnnotationDescription annotation : annotations) {
            if (annotation.getAnnotationType().getName().equals(name)) {
                return annotation;
            }
        }
        return null;
    }
}
