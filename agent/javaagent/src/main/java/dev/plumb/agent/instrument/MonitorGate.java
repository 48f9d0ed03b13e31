package dev.plumb.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps ByteBuddy unloaded until the first class that could need it: one that names
 * {@code dev/plumb/Monitor} or {@code com/sun/net/httpserver/HttpHandler} in its class file or
 * in a supertype's, or matches an include pattern. Loading and verifying ByteBuddy is most of
 * the agent's start-up, and a JVM, or a long stretch of one's start, with no such class never
 * pays it. From that class on every class goes to ByteBuddy's transformer, which decides as
 * before; this gate only reads bytes, so it can only be too eager, never skip a monitored class.
 */
final class MonitorGate implements ClassFileTransformer {

    private static final byte[] MONITOR = "dev/plumb/Monitor".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HTTP_HANDLER = "com/sun/net/httpserver/HttpHandler".getBytes(StandardCharsets.UTF_8);

    private final Supplier<ClassFileTransformer> activation;
    private final MethodPatterns include;
    /** Per loader, whether a type's class file or a supertype's names one of the two. */
    private final Map<ClassLoader, Map<String, Boolean>> relevant = new WeakHashMap<>();
    private volatile ClassFileTransformer active;

    MonitorGate(Supplier<ClassFileTransformer> activation, MethodPatterns include) {
        this.activation = activation;
        this.include = include;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
            ProtectionDomain domain, byte[] bytes) throws IllegalClassFormatException {
        ClassFileTransformer transformer = active;
        if (transformer == null) {
            if (loader == null || name == null || isPlatform(name) || !needsByteBuddy(loader, name, bytes)) {
                return null;
            }
            transformer = activate();
        }
        return transformer.transform(module, loader, name, redefined, domain, bytes);
    }

    private synchronized ClassFileTransformer activate() {
        if (active == null) {
            active = activation.get();
            // Every class now goes to ByteBuddy; what the gate learnt about supertypes is no longer read.
            synchronized (relevant) {
                relevant.clear();
            }
        }
        return active;
    }

    private boolean needsByteBuddy(ClassLoader loader, String name, byte[] bytes) {
        if (!include.isEmpty() && include.matchesClass(name.replace('/', '.'))) {
            return true;
        }
        try {
            return mentions(loader, bytes, 0);
        } catch (RuntimeException unreadable) {
            // A class file this reader does not follow goes to ByteBuddy, which knows better.
            return true;
        }
    }

    private boolean mentions(ClassLoader loader, byte[] bytes, int depth) {
        if (contains(bytes, MONITOR) || contains(bytes, HTTP_HANDLER)) {
            return true;
        }
        if (depth > 32) {
            return true;
        }
        for (String supertype : supertypes(bytes)) {
            if (!isPlatform(supertype) && supertypeMentions(loader, supertype, depth)) {
                return true;
            }
        }
        return false;
    }

    private boolean supertypeMentions(ClassLoader loader, String name, int depth) {
        Map<String, Boolean> known;
        synchronized (relevant) {
            known = relevant.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        }
        Boolean cached = known.get(name);
        if (cached != null) {
            return cached;
        }
        boolean result;
        try (InputStream in = loader.getResourceAsStream(name + ".class")) {
            // A supertype that cannot be read is left for ByteBuddy to judge.
            result = in == null || mentions(loader, in.readAllBytes(), depth + 1);
        } catch (IOException e) {
            result = true;
        }
        known.put(name, result);
        return result;
    }

    private static boolean isPlatform(String name) {
        return name.startsWith("java/") || name.startsWith("javax/") || name.startsWith("jdk/")
                || name.startsWith("sun/") || name.startsWith("dev/plumb/agent/") || name.startsWith("dev/plumb/shaded/");
    }

    static boolean contains(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i <= bytes.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The superclass and interfaces named by a class file, read from its constant pool. */
    static List<String> supertypes(byte[] bytes) {
        int count = u2(bytes, 8);
        int[] offsets = new int[count];
        int at = 10;
        for (int index = 1; index < count; index++) {
            offsets[index] = at;
            int tag = bytes[at] & 0xff;
            switch (tag) {
                case 1 -> at += 3 + u2(bytes, at + 1);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> at += 5;
                case 5, 6 -> {
                    at += 9;
                    index++;
                }
                case 7, 8, 16, 19, 20 -> at += 3;
                case 15 -> at += 4;
                default -> throw new IllegalArgumentException("constant pool tag " + tag);
            }
        }
        at += 4;  // access flags, this class
        List<String> result = new ArrayList<>();
        int superclass = u2(bytes, at);
        if (superclass != 0) {
            result.add(className(bytes, offsets, superclass));
        }
        int interfaces = u2(bytes, at + 2);
        for (int i = 0; i < interfaces; i++) {
            result.add(className(bytes, offsets, u2(bytes, at + 4 + 2 * i)));
        }
        return result;
    }

    private static String className(byte[] bytes, int[] offsets, int classIndex) {
        int utf8 = offsets[u2(bytes, offsets[classIndex] + 1)];
        return new String(bytes, utf8 + 3, u2(bytes, utf8 + 1), StandardCharsets.UTF_8);
    }

    private static int u2(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }
}
