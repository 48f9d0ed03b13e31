package dev.plumb.agent.propagation;

import dev.plumb.agent.runtime.AgentErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Makes {@code jdk.internal.net.http.HttpClientImpl.send} and {@code sendAsync} start with
 * {@code request = HttpClientBridge.outgoing(request)}.
 *
 * <p>Written with the ASM that ByteBuddy bundles rather than with ByteBuddy itself: this
 * transformer is installed when the JVM starts, and it must not load ByteBuddy (most of the
 * agent's start-up, see {@code MonitorGate}) for a class that only needs three instructions.
 * Until the client class loads, it costs one string comparison per loaded class.
 */
public final class HttpClientTransformer implements ClassFileTransformer {

    private static final String CLIENT = "jdk/internal/net/http/HttpClientImpl";
    private static final String BRIDGE = "dev/plumb/agent/propagation/HttpClientBridge";
    private static final String REQUEST = "Ljava/net/http/HttpRequest;";

    private final Instrumentation instrumentation;
    private volatile boolean bridged;

    private HttpClientTransformer(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    /**
     * Registers the transformer; attached to a running JVM, also rewrites a client class that is
     * already loaded.
     */
    public static void install(Instrumentation instrumentation, boolean attached) {
        instrumentation.addTransformer(new HttpClientTransformer(instrumentation), attached);
        if (!attached) {
            return;
        }
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            if (loaded.getName().equals(CLIENT.replace('/', '.'))) {
                try {
                    instrumentation.retransformClasses(loaded);
                } catch (UnmodifiableClassException | RuntimeException e) {
                    AgentErrors.report("instrumenting HttpClient for trace propagation", e);
                }
            }
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
            ProtectionDomain domain, byte[] bytes) {
        if (!CLIENT.equals(name)) {
            return null;
        }
        try {
            Class<?> bridge = bridge();
            // The client's module must read the bootstrap loader's unnamed module to call the bridge.
            instrumentation.redefineModule(module, Set.of(bridge.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
            return rewrite(bytes);
        } catch (Throwable e) {
            AgentErrors.report("instrumenting HttpClient for trace propagation", e);
            return null;
        }
    }

    /**
     * Puts the bridge into the bootstrap class loader once and installs the propagation behind it.
     *
     * <p>The bootstrap loader only takes classes from a jar file, so one is written, appended and
     * deleted as soon as the bridge is loaded from it: the JVM opens the jar when it is appended
     * and keeps reading it through that handle, so a JVM that is later killed leaves no file
     * behind. (Where an open file cannot be deleted, as on Windows, it goes at exit.) Each JVM
     * writes its own file, with a random name and only its user's access: a fixed name in a
     * shared temporary directory would let another user plant a jar for the bootstrap loader.
     */
    private synchronized Class<?> bridge() throws IOException, ClassNotFoundException {
        // This class names the bridge only as a string: had it a typed reference, verifying it at start-up
        // would load the agent jar's copy of the bridge into the agent's loader before the bootstrap has one.
        String name = BRIDGE.replace('/', '.');
        if (!bridged) {
            Path jar = Files.createTempFile("plumb-agent-http", ".jar");
            try {
                try (OutputStream file = Files.newOutputStream(jar);
                        JarOutputStream out = new JarOutputStream(file);
                        InputStream in = HttpClientTransformer.class.getClassLoader()
                                .getResourceAsStream(BRIDGE + ".class")) {
                    out.putNextEntry(new JarEntry(BRIDGE + ".class"));
                    in.transferTo(out);
                    out.closeEntry();
                }
                try (JarFile bootJar = new JarFile(jar.toFile())) {
                    instrumentation.appendToBootstrapClassLoaderSearch(bootJar);
                }
                Class.forName(name, false, null);
                bridged = true;
            } finally {
                if (!jar.toFile().delete()) {
                    jar.toFile().deleteOnExit();
                }
            }
        }
        Class<?> bridge = Class.forName(name, true, null);
        HttpClientPropagation.activate();
        return bridge;
    }

    static byte[] rewrite(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                    String[] exceptions) {
                MethodVisitor visitor = super.visitMethod(access, method, descriptor, signature, exceptions);
                boolean sends = (method.equals("send") || method.equals("sendAsync"))
                        && (access & Opcodes.ACC_STATIC) == 0 && (access & Opcodes.ACC_ABSTRACT) == 0
                        && descriptor.startsWith("(" + REQUEST);
                if (!sends) {
                    return visitor;
                }
                return new MethodVisitor(Opcodes.ASM9, visitor) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        super.visitVarInsn(Opcodes.ALOAD, 1);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "outgoing",
                                "(" + REQUEST + ")" + REQUEST, false);
                        super.visitVarInsn(Opcodes.ASTORE, 1);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }
}
