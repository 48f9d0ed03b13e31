package dev.plumb.demo.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One pod of a demo service as the cluster simulator reports it: who owns it, what it
 * requests, and when it started. Names and uids follow from the service and the replica's
 * number, so that every run of the demo reports the same pods (a second run on the same data
 * directory re-sends the same history instead of doubling it).
 */
record SimulatedPod(String service, String team, String namespace, String deployment, String podName,
                    String podUid, boolean stateful, double cpuRequestCores, long memoryRequestBytes,
                    Instant startedAt) {

    static final String NAMESPACE = "shop";
    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    /**
     * The pod's resource attributes, as the kubeletstats receiver sets them, for its history and
     * its live samples alike.
     */
    Map<String, String> resourceAttributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("service.name", service);
        attributes.put("team", team);
        attributes.put("k8s.namespace.name", namespace);
        attributes.put(stateful ? "k8s.statefulset.name" : "k8s.deployment.name", deployment);
        attributes.put("k8s.pod.name", podName);
        attributes.put("k8s.pod.uid", podUid);
        attributes.put("k8s.container.name", service);
        // one of three nodes, stable per pod
        attributes.put("k8s.node.name", "demo-node-" + (1 + Math.floorMod(podName.hashCode(), 3)));
        return attributes;
    }

    /** Whether the pod was running at {@code t}. */
    boolean runsAt(Instant t) {
        return !t.isBefore(startedAt);
    }

    /**
     * {@code count} replicas of {@code service}: a StatefulSet's pods are numbered, a
     * Deployment's carry the ReplicaSet's hash and a suffix of their own.
     */
    static List<SimulatedPod> replicas(String service, String team, int count, boolean stateful, double cpuRequest,
                                       long memoryRequest, Instant startedAt) {
        String replicaSet = UUID.nameUUIDFromBytes(service.getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "").substring(0, 10);
        List<SimulatedPod> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = stateful ? service + "-" + i : service + "-" + replicaSet + "-" + suffix(service, i);
            String uid = UUID.nameUUIDFromBytes((NAMESPACE + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
            pods.add(new SimulatedPod(service, team, NAMESPACE, service, name, uid, stateful, cpuRequest, memoryRequest,
                    startedAt));
        }
        return pods;
    }

    /** The same pod started at {@code when}. */
    SimulatedPod startedAt(Instant when) {
        return new SimulatedPod(service, team, namespace, deployment, podName, podUid, stateful, cpuRequestCores,
                memoryRequestBytes, when);
    }

    private static String suffix(String service, int replica) {
        long bits = UUID.nameUUIDFromBytes((service + "#" + replica).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits();
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(SUFFIX_ALPHABET.charAt((int) Math.floorMod(bits >>> (i * 8), SUFFIX_ALPHABET.length())));
        }
        return suffix.toString();
    }
}
