package dev.plumb.deploy.plan;

import dev.plumb.deploy.definition.Quantity;
import dev.plumb.deploy.render.KubeObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The resources one service declares, read back from its Kubernetes objects (so that the same
 * reading prices both the rendered objects and what is deployed): base replicas (a fixed count or
 * the autoscaler's minimum), and per pod the requested CPU cores, memory GiB and volume GiB.
 */
public record ServiceResources(String service, String namespace, String team, int replicas, BigDecimal cpuCores,
                               BigDecimal memoryGiB, BigDecimal storageGiB) {

    public ServiceResources {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(namespace, "namespace");
    }

    /** {@code namespace/service}: how plan names a service across namespaces. */
    public String key() {
        return namespace + "/" + service;
    }

    /** The services of a set of objects: one per Deployment or StatefulSet, in the objects' order. */
    public static List<ServiceResources> of(List<KubeObject> objects) {
        Map<String, Object> autoscalerMinimum = new HashMap<>();
        for (KubeObject o : objects) {
            if (o.kind().equals("HorizontalPodAutoscaler")) {
                Map<?, ?> spec = map(o.body().get("spec"));
                autoscalerMinimum.put(o.namespace() + "/" + map(spec.get("scaleTargetRef")).get("name"),
                        spec.get("minReplicas") == null ? 1 : spec.get("minReplicas"));
            }
        }
        List<ServiceResources> out = new ArrayList<>();
        for (KubeObject o : objects) {
            if (!o.kind().equals("Deployment") && !o.kind().equals("StatefulSet")) {
                continue;
            }
            Map<?, ?> spec = map(o.body().get("spec"));
            Map<?, ?> podSpec = map(map(spec.get("template")).get("spec"));
            BigDecimal cpu = BigDecimal.ZERO;
            BigDecimal memory = BigDecimal.ZERO;
            for (Object c : list(podSpec.get("containers"))) {
                Map<?, ?> requests = map(map(map(c).get("resources")).get("requests"));
                cpu = cpu.add(quantity(requests.get("cpu")));
                memory = memory.add(quantity(requests.get("memory")));
            }
            BigDecimal storage = BigDecimal.ZERO;
            for (Object claim : list(spec.get("volumeClaimTemplates"))) {
                storage = storage.add(quantity(map(map(map(map(claim).get("spec")).get("resources")).get("requests")).get("storage")));
            }
            String service = o.label("app.kubernetes.io/name") != null ? o.label("app.kubernetes.io/name") : o.name();
            String team = o.label("plumb.dev/team") != null ? o.label("plumb.dev/team") : o.namespace();
            Object replicas = autoscalerMinimum.getOrDefault(o.namespace() + "/" + o.name(), spec.get("replicas"));
            out.add(new ServiceResources(service, o.namespace(), team,
                    replicas == null ? 1 : Integer.parseInt(String.valueOf(replicas)), cpu.stripTrailingZeros(),
                    gib(memory), gib(storage)));
        }
        return out;
    }

    private static BigDecimal gib(BigDecimal bytes) {
        return new Quantity(bytes.toPlainString(), bytes).gib();
    }

    private static BigDecimal quantity(Object text) {
        return text == null ? BigDecimal.ZERO : Quantity.parse(String.valueOf(text)).value();
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }
}
