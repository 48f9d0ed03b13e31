package dev.plumb.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MonitorGateTest {

    private final AtomicInteger activations = new AtomicInteger();
    private final ClassFileTransformer byteBuddy = new ClassFileTransformer() {
    };

    private MonitorGate gate(String include) {
        return new MonitorGate(() -> {
            activations.incrementAndGet();
            return byteBuddy;
        }, MethodPatterns.parse("PLUMB_MONITOR_INCLUDE", include));
    }

    private static byte[] classFile(String name) throws Exception {
        try (InputStream in = MonitorGateTest.class.getClassLoader().getResourceAsStream(name + ".class")) {
            return in.readAllBytes();
        }
    }

    private void load(MonitorGate gate, String name) throws Exception {
        gate.transform(null, MonitorGateTest.class.getClassLoader(), name, null, null, classFile(name));
    }

    @Test
    void readsSuperclassAndInterfacesFromTheConstantPool() throws Exception {
        assertThat(MonitorGate.supertypes(classFile("dev/plumb/testapp/OptionsApp$PoliteGreeter")))
                .containsExactly("java/lang/Object", "dev/plumb/testapp/OptionsApp$Greeter");
        assertThat(MonitorGate.supertypes(classFile("dev/plumb/testapp/OptionsApp$ConcreteReport")))
                .containsExactly("dev/plumb/testapp/OptionsApp$Report");
    }

    @Test
    void classesThatNeverMentionMonitorLeaveByteBuddyUnloaded() throws Exception {
        MonitorGate gate = gate("");
        load(gate, "dev/plumb/testapp/LegacyBilling");
        load(gate, "dev/plumb/testapp/LoadApp");
        assertThat(activations).hasValue(0);
    }

    @Test
    void anAnnotatedClassActivatesByteBuddyOnce() throws Exception {
        MonitorGate gate = gate("");
        load(gate, "dev/plumb/testapp/Payments");
        load(gate, "dev/plumb/testapp/LegacyBilling");
        assertThat(activations).hasValue(1);
    }

    @Test
    void anImplementationOfAnAnnotatedInterfaceActivatesItBeforeTheInterfaceLoads() throws Exception {
        MonitorGate gate = gate("");
        load(gate, "dev/plumb/testapp/OptionsApp$PoliteGreeter");
        assertThat(activations).hasValue(1);
    }

    @Test
    void anIncludedClassActivatesIt() throws Exception {
        MonitorGate gate = gate("dev.plumb.testapp.Legacy*#charge");
        load(gate, "dev/plumb/testapp/LegacyBilling");
        assertThat(activations).hasValue(1);
    }
}
