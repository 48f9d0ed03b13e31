package dev.plumb.demo.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One pod of a demo service as the cluster simulator reports it: its requests, its typical
 * usage, and (for a stateful service) its volume.
 *
 * @param volumeBytes capacity of the pod's persistent volume, 0 for a stateless pod
 */
record SimulatedPod(String service, String team, String namespace, String deployment, String podName,
                    String podUid, boolean stateful, double cpuRequestCores, long memoryRequestBytes,
                    double typicalCpuCores, long typicalMemoryBytes, long transmitBytesPerSecond,
                    long volumeBytes) {

    static final String NAMESPACE = "shop";
    private static final long MIB = 1024L * 1024L;
    private static final long GIB = 1024L * MIB;

    /** The demo's cluster: every demo service with two or three pods, inventory stateful with a volume. */
    static List<SimulatedPod> demoCluster() {
        List<SimulatedPod> pods = new ArrayList<>();
        pods.addAll(replicas("frontend", "web", 3, false, 0.25, 256 * MIB, 0.12, 180 * MIB, 40_000, 0));
        pods.addAll(replicas("checkout", "payments", 2, false, 0.5, 512 * MIB, 0.30, 380 * MIB, 15_000, 0));
        // payment runs hotter than it requests, so its cost follows usage rather than requests.
        pods.addAll(replicas("payment", "payments", 2, false, 0.5, 512 * MIB, 0.55, 420 * MIB, 8_000, 0));
        pods.addAll(replicas("inventory", "fulfilment", 2, true, 0.25, GIB, 0.15, 700 * MIB, 5_000, 20 * GIB));
        return pods;
    }

    private static List<SimulatedPod> replicas(String service, String team, int count, boolean stateful,
                                               double cpuRequest, long memoryRequest, double cpu, long memory,
                                               long transmitPerSecond, long volume) {
        String replicaSet = Long.toHexString(ThreadLocalRandom.current().nextLong(0x10_0000_0000L, 0xff_ffff_ffffL));
        List<SimulatedPod> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // StatefulSet pods are numbered; Deployment pods carry the ReplicaSet hash and a random suffix.
            String name = stateful ? service + "-" + i : service + "-" + replicaSet + "-" + randomSuffix();
            pods.add(new SimulatedPod(service, team, NAMESPACE, service, name, UUID.randomUUID().toString(), stateful,
                    cpuRequest, memoryRequest, cpu, memory, transmitPerSecond, volume));
        }
        return pods;
    }

    private static String randomSuffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return suffix.toString();
    }
}
