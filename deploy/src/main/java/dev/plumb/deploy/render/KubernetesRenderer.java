package dev.plumb.deploy.render;

import dev.plumb.deploy.definition.ServiceDefinition;
import dev.plumb.deploy.definition.ServiceDefinition.EnvVar;
import dev.plumb.deploy.definition.ServiceDefinition.Probe;
import dev.plumb.deploy.definition.ServicesFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a valid {@link ServicesFile} into the Kubernetes objects of the golden path, in a stable
 * order: per namespace a default-deny NetworkPolicy, then per service its ServiceAccount, Role and
 * RoleBinding, Deployment (StatefulSet when stateful), Service, HorizontalPodAutoscaler,
 * Ingress, NetworkPolicy, PodMonitor, PrometheusRule and Velero backup Schedule.
 */
public final class KubernetesRenderer {

    /** Namespace whose pods may reach a service with an ingress host (the ingress controller's). */
    public static final String INGRESS_NAMESPACE = "ingress-nginx";
    /** Namespace whose pods may scrape the agent's metrics port (Prometheus'). */
    public static final String MONITORING_NAMESPACE = "monitoring";
    /** Namespace Velero runs in; its Schedules live there. */
    public static final String VELERO_NAMESPACE = "velero";
    /** Where the init container puts the agent jar inside each pod. */
    public static final String AGENT_PATH = "/plumb/plumb-agent.jar";
    private static final int RUN_AS = 10001;

    private final ServicesFile file;

    private KubernetesRenderer(ServicesFile file) {
        this.file = file;
    }

    /** Every object for the file; the file must have passed validation. */
    public static List<KubeObject> render(ServicesFile file) {
        return new KubernetesRenderer(file).all();
    }

    private List<KubeObject> all() {
        List<KubeObject> out = new ArrayList<>();
        new TreeSet<>(file.services().stream().map(ServiceDefinition::namespace).toList())
                .forEach(ns -> out.add(defaultDeny(ns)));
        for (ServiceDefinition s : file.services()) {
            out.add(serviceAccount(s));
            out.add(role(s));
            out.add(roleBinding(s));
            out.add(workload(s));
            out.add(service(s));
            if (s.autoscaling() != null) {
                out.add(autoscaler(s));
            }
            if (s.ingress() != null) {
                out.add(ingress(s));
            }
            out.add(networkPolicy(s));
            out.add(podMonitor(s));
            out.add(prometheusRule(s));
            if (s.stateful() != null && s.stateful().backup() != null) {
                out.add(backupSchedule(s));
            }
        }
        return out;
    }

    private KubeObject defaultDeny(String namespace) {
        Map<String, Object> o = object("networking.k8s.io/v1", "NetworkPolicy", namespace, "default-deny",
                map("app.kubernetes.io/managed-by", "plumb"));
        o.put("spec", map("podSelector", map(), "policyTypes", List.of("Ingress")));
        return new KubeObject(o);
    }

    private KubeObject serviceAccount(ServiceDefinition s) {
        Map<String, Object> o = object("v1", "ServiceAccount", s.namespace(), s.name(), labels(s));
        // Secrets reach the pod through the kubelet (secretKeyRef), so the application needs no API token.
        o.put("automountServiceAccountToken", false);
        return new KubeObject(o);
    }

    private KubeObject role(ServiceDefinition s) {
        Map<String, Object> o = object("rbac.authorization.k8s.io/v1", "Role", s.namespace(), s.name(), labels(s));
        List<String> secrets = s.env().stream().filter(EnvVar::fromSecret).map(EnvVar::secret).distinct().sorted().toList();
        o.put("rules", secrets.isEmpty() ? List.of() : List.of(map("apiGroups", List.of(""), "resources", List.of("secrets"),
                "resourceNames", secrets, "verbs", List.of("get"))));
        return new KubeObject(o);
    }

    private KubeObject roleBinding(ServiceDefinition s) {
        Map<String, Object> o = object("rbac.authorization.k8s.io/v1", "RoleBinding", s.namespace(), s.name(), labels(s));
        o.put("roleRef", map("apiGroup", "rbac.authorization.k8s.io", "kind", "Role", "name", s.name()));
        o.put("subjects", List.of(map("kind", "ServiceAccount", "name", s.name(), "namespace", s.namespace())));
        return new KubeObject(o);
    }

    private KubeObject workload(ServiceDefinition s) {
        boolean stateful = s.stateful() != null;
        Map<String, Object> o = object("apps/v1", stateful ? "StatefulSet" : "Deployment", s.namespace(), s.name(), labels(s));
        Map<String, Object> spec = new LinkedHashMap<>();
        if (s.autoscaling() == null) {
            spec.put("replicas", s.replicas());
        }
        if (stateful) {
            spec.put("serviceName", s.name());
        }
        spec.put("selector", map("matchLabels", selector(s)));
        if (!stateful) {
            spec.put("strategy", map("type", "RollingUpdate", "rollingUpdate", map("maxSurge", 1, "maxUnavailable", 0)));
        }
        spec.put("template", map("metadata", map("labels", labels(s)), "spec", podSpec(s)));
        if (stateful) {
            spec.put("volumeClaimTemplates", List.of(map(
                    "metadata", map("name", "data"),
                    "spec", map("accessModes", List.of("ReadWriteOnce"),
                            "storageClassName", storageClass(s),
                            "resources", map("requests", map("storage", s.stateful().volume().text()))))));
        }
        o.put("spec", spec);
        return new KubeObject(o);
    }

    private String storageClass(ServiceDefinition s) {
        return s.stateful().storageClass() != null ? s.stateful().storageClass() : file.encryptedStorageClasses().get(0);
    }

    private Map<String, Object> podSpec(ServiceDefinition s) {
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("serviceAccountName", s.name());
        pod.put("automountServiceAccountToken", false);
        pod.put("securityContext", map("runAsNonRoot", true, "runAsUser", RUN_AS, "runAsGroup", RUN_AS, "fsGroup", RUN_AS,
                "seccompProfile", map("type", "RuntimeDefault")));
        pod.put("initContainers", List.of(map(
                "name", "plumb-agent",
                "image", file.agentImage(),
                "command", List.of("cp", "/plumb-agent.jar", AGENT_PATH),
                "resources", map("requests", map("cpu", "10m", "memory", "16Mi"), "limits", map("memory", "16Mi")),
                "securityContext", containerSecurity(),
                "volumeMounts", List.of(map("name", "plumb-agent", "mountPath", "/plumb")))));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", s.name());
        c.put("image", s.image());
        c.put("ports", List.of(map("name", "http", "containerPort", s.port()), map("name", "metrics", "containerPort",
                ServiceDefinition.AGENT_METRICS_PORT)));
        c.put("env", env(s));
        Map<String, Object> limits = new LinkedHashMap<>();
        if (s.limits().cpu() != null) {
            limits.put("cpu", s.limits().cpu().text());
        }
        limits.put("memory", s.limits().memory().text());
        c.put("resources", map("requests", map("cpu", s.cpu().text(), "memory", s.memory().text()), "limits", limits));
        if (s.readinessProbe() != null) {
            c.put("readinessProbe", probe(s.readinessProbe()));
        }
        if (s.livenessProbe() != null) {
            c.put("livenessProbe", probe(s.livenessProbe()));
        }
        c.put("securityContext", containerSecurity());
        List<Object> mounts = new ArrayList<>(List.of(
                map("name", "plumb-agent", "mountPath", "/plumb", "readOnly", true),
                // The JVM writes perf data and temporary files; the root filesystem stays read-only.
                map("name", "tmp", "mountPath", "/tmp")));
        if (s.stateful() != null) {
            mounts.add(map("name", "data", "mountPath", s.stateful().mountPath()));
        }
        c.put("volumeMounts", mounts);
        pod.put("containers", List.of(c));
        pod.put("volumes", List.of(map("name", "plumb-agent", "emptyDir", map()), map("name", "tmp", "emptyDir", map())));
        return pod;
    }

    private List<Object> env(ServiceDefinition s) {
        List<Object> env = new ArrayList<>();
        env.add(map("name", "POD_NAME", "valueFrom", map("fieldRef", map("fieldPath", "metadata.name"))));
        env.add(map("name", "JAVA_TOOL_OPTIONS", "value", "-javaagent:" + AGENT_PATH + own(s, "JAVA_TOOL_OPTIONS", " ")));
        env.add(map("name", "OTEL_SERVICE_NAME", "value", s.name()));
        env.add(map("name", "OTEL_EXPORTER_OTLP_ENDPOINT", "value", file.collectorEndpoint()));
        env.add(map("name", "OTEL_EXPORTER_OTLP_PROTOCOL", "value", "http/protobuf"));
        env.add(map("name", "OTEL_RESOURCE_ATTRIBUTES", "value", "k8s.namespace.name=" + s.namespace()
                + ",k8s.pod.name=$(POD_NAME),team=" + s.team() + ",deployment.environment=" + file.environment()
                + own(s, "OTEL_RESOURCE_ATTRIBUTES", ",")));
        for (EnvVar e : s.env()) {
            if (e.fromSecret()) {
                env.add(map("name", e.name(), "valueFrom", map("secretKeyRef", map("name", e.secret(), "key", e.key()))));
            } else if (!e.name().equals("JAVA_TOOL_OPTIONS") && !e.name().equals("OTEL_RESOURCE_ATTRIBUTES")) {
                env.add(map("name", e.name(), "value", e.value()));
            }
        }
        return env;
    }

    /** The service's own literal value of {@code name}, after {@code separator}, to append to plumb's; or nothing. */
    private static String own(ServiceDefinition s, String name, String separator) {
        return s.env().stream().filter(e -> e.name().equals(name) && !e.fromSecret()).map(e -> separator + e.value())
                .findFirst().orElse("");
    }

    private static Map<String, Object> probe(Probe p) {
        return map("httpGet", map("path", p.path(), "port", "http"),
                "initialDelaySeconds", Math.toIntExact(p.initialDelay().toSeconds()),
                "periodSeconds", Math.toIntExact(Math.max(1, p.interval().toSeconds())));
    }

    private static Map<String, Object> containerSecurity() {
        return map("allowPrivilegeEscalation", false, "readOnlyRootFilesystem", true, "runAsNonRoot", true,
                "capabilities", map("drop", List.of("ALL")));
    }

    private KubeObject service(ServiceDefinition s) {
        Map<String, Object> o = object("v1", "Service", s.namespace(), s.name(), labels(s));
        o.put("spec", map("type", "ClusterIP", "selector", selector(s),
                "ports", List.of(map("name", "http", "port", s.port(), "targetPort", "http"))));
        return new KubeObject(o);
    }

    private KubeObject autoscaler(ServiceDefinition s) {
        Map<String, Object> o = object("autoscaling/v2", "HorizontalPodAutoscaler", s.namespace(), s.name(), labels(s));
        o.put("spec", map(
                "scaleTargetRef", map("apiVersion", "apps/v1", "kind", s.stateful() != null ? "StatefulSet" : "Deployment",
                        "name", s.name()),
                "minReplicas", s.autoscaling().min(),
                "maxReplicas", s.autoscaling().max(),
                "metrics", List.of(map("type", "Resource", "resource", map("name", "cpu",
                        "target", map("type", "Utilization", "averageUtilization", s.autoscaling().cpuUtilization()))))));
        return new KubeObject(o);
    }

    private KubeObject ingress(ServiceDefinition s) {
        Map<String, Object> o = object("networking.k8s.io/v1", "Ingress", s.namespace(), s.name(), labels(s));
        o.put("spec", map(
                "tls", List.of(map("hosts", List.of(s.ingress().host()), "secretName", s.ingress().tlsSecret())),
                "rules", List.of(map("host", s.ingress().host(), "http", map("paths", List.of(map(
                        "path", s.ingress().path(), "pathType", "Prefix",
                        "backend", map("service", map("name", s.name(), "port", map("name", "http"))))))))));
        return new KubeObject(o);
    }

    private KubeObject networkPolicy(ServiceDefinition s) {
        Map<String, Object> o = object("networking.k8s.io/v1", "NetworkPolicy", s.namespace(), s.name(), labels(s));
        List<Object> from = new ArrayList<>();
        for (String caller : s.callers()) {
            ServiceDefinition c = file.service(caller);
            from.add(map("namespaceSelector", map("matchLabels", map("kubernetes.io/metadata.name",
                            c == null ? s.namespace() : c.namespace())),
                    "podSelector", map("matchLabels", map("app.kubernetes.io/name", caller))));
        }
        if (s.ingress() != null) {
            from.add(map("namespaceSelector", map("matchLabels", map("kubernetes.io/metadata.name", INGRESS_NAMESPACE))));
        }
        List<Object> rules = new ArrayList<>();
        if (!from.isEmpty()) {
            rules.add(map("from", from, "ports", List.of(map("protocol", "TCP", "port", "http"))));
        }
        rules.add(map("from", List.of(map("namespaceSelector", map("matchLabels",
                        map("kubernetes.io/metadata.name", MONITORING_NAMESPACE)))),
                "ports", List.of(map("protocol", "TCP", "port", "metrics"))));
        o.put("spec", map("podSelector", map("matchLabels", selector(s)), "policyTypes", List.of("Ingress"), "ingress", rules));
        return new KubeObject(o);
    }

    private KubeObject podMonitor(ServiceDefinition s) {
        Map<String, Object> o = object("monitoring.coreos.com/v1", "PodMonitor", s.namespace(), s.name(), labels(s));
        o.put("spec", map("selector", map("matchLabels", selector(s)),
                "podTargetLabels", List.of("app.kubernetes.io/name"),
                "podMetricsEndpoints", List.of(map("port", "metrics", "path", "/metrics", "interval", "30s"))));
        return new KubeObject(o);
    }

    private KubeObject prometheusRule(ServiceDefinition s) {
        Map<String, Object> o = object("monitoring.coreos.com/v1", "PrometheusRule", s.namespace(), s.name(), labels(s));
        String match = "namespace=\"" + s.namespace() + "\",app_kubernetes_io_name=\"" + s.name() + "\"";
        String alertName = camel(s.name());
        String holdFor = goDuration(s.alerts().holdFor());
        double p99Seconds = s.alerts().p99Latency().toMillis() / 1000.0;
        Map<String, Object> ruleLabels = map("severity", "page", "service", s.name(), "team", s.team());
        List<Object> rules = List.of(
                map("alert", alertName + "HighErrorRate",
                        "expr", "sum(rate(monitor_duration_seconds_count{" + match + ",outcome=\"error\"}[5m]))"
                                + " / sum(rate(monitor_duration_seconds_count{" + match + "}[5m])) > " + number(s.alerts().errorRate()),
                        "for", holdFor,
                        "labels", ruleLabels,
                        "annotations", map("summary", s.name() + " error rate above " + percent(s.alerts().errorRate()))),
                map("alert", alertName + "HighLatencyP99",
                        "expr", "histogram_quantile(0.99, sum by (le) (rate(monitor_duration_seconds_bucket{" + match
                                + "}[5m]))) > " + number(p99Seconds),
                        "for", holdFor,
                        "labels", ruleLabels,
                        "annotations", map("summary", s.name() + " p99 latency above " + s.alerts().p99Latency().toMillis() + "ms")));
        o.put("spec", map("groups", List.of(map("name", "plumb." + s.name(), "rules", rules))));
        return new KubeObject(o);
    }

    private KubeObject backupSchedule(ServiceDefinition s) {
        Map<String, Object> o = object("velero.io/v1", "Schedule", VELERO_NAMESPACE, s.namespace() + "-" + s.name(), labels(s));
        o.put("spec", map("schedule", s.stateful().backup().schedule(),
                "template", map("includedNamespaces", List.of(s.namespace()),
                        "labelSelector", map("matchLabels", selector(s)),
                        "snapshotVolumes", true,
                        "ttl", s.stateful().backup().retention().toHours() + "h0m0s")));
        return new KubeObject(o);
    }

    // --- shared pieces

    private static Map<String, Object> object(String apiVersion, String kind, String namespace, String name,
                                              Map<String, Object> labels) {
        return map("apiVersion", apiVersion, "kind", kind,
                "metadata", map("name", name, "namespace", namespace, "labels", labels));
    }

    private Map<String, Object> labels(ServiceDefinition s) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("app.kubernetes.io/name", s.name());
        l.put("app.kubernetes.io/managed-by", "plumb");
        l.put("plumb.dev/team", s.team());
        if (s.zone() != null) {
            l.put("plumb.dev/zone", s.zone());
        }
        s.labels().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> l.put(e.getKey(), e.getValue()));
        return l;
    }

    private static Map<String, Object> selector(ServiceDefinition s) {
        return map("app.kubernetes.io/name", s.name());
    }

    /** An ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static String camel(String name) {
        StringBuilder b = new StringBuilder();
        for (String part : name.split("-")) {
            if (!part.isEmpty()) {
                b.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return b.toString();
    }

    private static String goDuration(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    private static String number(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String percent(double fraction) {
        return java.math.BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }
}
