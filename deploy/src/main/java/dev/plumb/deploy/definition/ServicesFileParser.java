package dev.plumb.deploy.definition;

import dev.plumb.deploy.definition.ServiceDefinition.Alerts;
import dev.plumb.deploy.definition.ServiceDefinition.Autoscaling;
import dev.plumb.deploy.definition.ServiceDefinition.Backup;
import dev.plumb.deploy.definition.ServiceDefinition.EnvVar;
import dev.plumb.deploy.definition.ServiceDefinition.Ingress;
import dev.plumb.deploy.definition.ServiceDefinition.Limits;
import dev.plumb.deploy.definition.ServiceDefinition.Probe;
import dev.plumb.deploy.definition.ServiceDefinition.Stateful;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a services.yaml into a {@link ServicesFile}, collecting every schema problem (unknown
 * field with the nearest known one, wrong type, missing field, value out of range) with its line
 * and column instead of stopping at the first.
 */
public final class ServicesFileParser {

    /** The parsed file (null when the YAML itself cannot be read) and every problem found. */
    public record Result(ServicesFile file, List<Problem> problems) {
        public Result {
            problems = problems.stream().sorted(Problem.IN_FILE_ORDER).toList();
        }

        public boolean hasErrors() {
            return problems.stream().anyMatch(Problem::isError);
        }
    }

    /** Default OTLP/HTTP endpoint of the collector inside the cluster. */
    public static final String DEFAULT_COLLECTOR = "http://plumb-collector.plumb.svc.cluster.local:4318";
    /** Default image holding /plumb-agent.jar, copied into each pod by an init container. */
    public static final String DEFAULT_AGENT_IMAGE = "ghcr.io/plumb-dev/plumb-agent:0.1.0";

    private static final Set<String> TOP = keys("environment", "namespace", "team", "collector", "agent_image",
            "encrypted_storage_classes", "services");
    private static final Set<String> SERVICE = keys("image", "cpu", "memory", "replicas", "autoscaling", "port",
            "readiness_probe", "liveness_probe", "env", "namespace", "team", "zone", "limits", "labels", "ingress",
            "callers", "stateful", "alerts");
    private static final Set<String> PROBE = keys("path", "interval", "initial_delay");
    private static final Set<String> ENV = keys("name", "value", "secret", "key");
    private static final Set<String> AUTOSCALING = keys("min", "max", "cpu_utilization");
    private static final Set<String> LIMITS = keys("cpu", "memory");
    private static final Set<String> INGRESS = keys("host", "path", "tls_secret");
    private static final Set<String> STATEFUL = keys("volume", "mount_path", "storage_class", "encrypted", "backup");
    private static final Set<String> BACKUP = keys("schedule", "retention");
    private static final Set<String> ALERTS = keys("error_rate", "p99_latency", "for");

    /** Variables the agent injection sets; a literal JAVA_TOOL_OPTIONS or OTEL_RESOURCE_ATTRIBUTES is appended instead. */
    private static final Set<String> RESERVED_ENV = keys("POD_NAME", "OTEL_SERVICE_NAME", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_EXPORTER_OTLP_PROTOCOL");

    /** A DNS-1123 label, as Kubernetes requires of names and namespaces. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** A label value, as Kubernetes requires: at most 63 characters, alphanumeric at both ends, '-', '_', '.' inside. */
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    /** A label key: an optional DNS-subdomain prefix and '/', then a name written like a non-empty label value. */
    private static final Pattern LABEL_KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    /**
     * An ingress path, rendered with pathType Prefix: Kubernetes wants it absolute, and ingress-nginx
     * (the platform's controller) refuses Prefix paths with anything but letters, digits, '/', '-' and '_'.
     */
    private static final Pattern INGRESS_PATH = Pattern.compile("/[A-Za-z0-9_/-]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
    /**
     * Ten years: enough for any backup retention, and small enough that every duration fits the
     * fields it is rendered into (probe seconds are 32-bit in Kubernetes).
     */
    static final Duration LONGEST_DURATION = Duration.ofDays(3650);
    private static final Pattern CRON = Pattern.compile("(@(hourly|daily|weekly|monthly))|(\\S+\\s+){4}\\S+");

    private final String origin;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, SourceMark> marks = new HashMap<>();

    private ServicesFileParser(String origin) {
        this.origin = origin;
    }

    /** Reads and parses a file; an unreadable file is an IllegalArgumentException naming it. */
    public static Result parse(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses services.yaml text; {@code origin} names it in problems. */
    public static Result parse(String yaml, String origin) {
        return new ServicesFileParser(origin).run(yaml);
    }

    private Result run(String yaml) {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(origin).build()).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            SourceMark at = e.getProblemMark().or(e::getContextMark).map(ServicesFileParser::mark).orElse(SourceMark.START);
            problems.add(Problem.error(at, "(yaml)", "not valid YAML: " + e.getProblem(),
                    "correct the YAML syntax at this line (indentation, a missing ':' or an unclosed quote)"));
            return new Result(null, problems);
        } catch (YamlEngineException e) {
            problems.add(Problem.error(SourceMark.START, "(yaml)", "not valid YAML: " + e.getMessage(), "correct the YAML syntax"));
            return new Result(null, problems);
        }
        if (root.isEmpty() || !(root.get() instanceof MappingNode top)) {
            problems.add(Problem.error(root.map(ServicesFileParser::mark).orElse(SourceMark.START), "services",
                    "the file has no services", "start the file with 'services:' and one entry per service"));
            return new Result(null, problems);
        }
        Map<String, Node> fields = fields(top, "", TOP);
        String environment = text(fields, "", "environment", "dev");
        if (!ServicesFile.ENVIRONMENTS.contains(environment)) {
            error("environment", "unknown environment '" + environment + "'", "use one of " + ServicesFile.ENVIRONMENTS);
        }
        String namespace = name(fields, "", "namespace", "default");
        String team = labelValue(fields, "", "team", namespace);
        String collector = text(fields, "", "collector", DEFAULT_COLLECTOR);
        if (!collector.startsWith("http://") && !collector.startsWith("https://")) {
            error("collector", "'" + collector + "' is not an http(s) URL",
                    "give the collector's OTLP/HTTP endpoint, such as " + DEFAULT_COLLECTOR);
        }
        String agentImage = text(fields, "", "agent_image", DEFAULT_AGENT_IMAGE);
        List<String> storageClasses = strings(fields, "", "encrypted_storage_classes", List.of("encrypted"));
        List<ServiceDefinition> services = new ArrayList<>();
        Node servicesNode = fields.get("services");
        if (servicesNode == null) {
            error("services", "the file has no services", "add 'services:' with one entry per service");
        } else if (!(servicesNode instanceof MappingNode serviceMap) || serviceMap.getValue().isEmpty()) {
            error("services", "services must map each service's name to its definition",
                    "write 'services:' then '  payment-service:' and its fields indented below");
        } else {
            Set<String> seen = new LinkedHashSet<>();
            for (NodeTuple t : serviceMap.getValue()) {
                String name = scalar(t.getKeyNode());
                if (!seen.add(name)) {
                    problems.add(Problem.error(mark(t.getKeyNode()), name, "service " + name + " is defined twice",
                            "keep one definition of " + name + ", or rename one of them"));
                    continue;
                }
                marks.put(name, mark(t.getKeyNode()));
                if (!DNS_LABEL.matcher(name).matches()) {
                    error(name, "'" + name + "' is not a valid Kubernetes name",
                            "use lower-case letters, digits and '-', at most 63 characters, such as payment-service");
                }
                if (t.getValueNode() instanceof MappingNode body) {
                    services.add(service(name, body, namespace, team));
                } else {
                    error(name, "a service must be a mapping of fields", "indent the service's fields (image, cpu, memory...) under it");
                }
            }
        }
        ServicesFile file = new ServicesFile(origin, environment, collector, agentImage, storageClasses, services, marks);
        return new Result(file, problems);
    }

    private ServiceDefinition service(String name, MappingNode body, String defaultNamespace, String defaultTeam) {
        Map<String, Node> f = fields(body, name, SERVICE);
        String image = text(f, name, "image", null);
        if (image == null) {
            error(name + ".image", "a service needs an image", "add 'image: registry/name:1.2.3'");
        }
        Quantity cpu = quantity(f, name, "cpu", "250m");
        Quantity memory = quantity(f, name, "memory", "256Mi");
        int replicas = integer(f, name, "replicas", 1, 0, 1000);
        Autoscaling autoscaling = null;
        if (f.containsKey("autoscaling")) {
            String p = name + ".autoscaling";
            Map<String, Node> a = fields(f.get("autoscaling"), p, AUTOSCALING);
            int min = integer(a, p, "min", 2, 1, 1000);
            int max = integer(a, p, "max", Math.max(min, 10), 1, 1000);
            if (max < min) {
                error(p + ".max", "max " + max + " is below min " + min, "set max to at least " + min);
            }
            autoscaling = new Autoscaling(min, max, integer(a, p, "cpu_utilization", 70, 1, 100));
            if (f.containsKey("replicas")) {
                error(name + ".replicas", "replicas and autoscaling are both set",
                        "remove replicas: the autoscaler's min and max decide how many pods run");
            }
        }
        int port = integer(f, name, "port", 8080, 1, 65535);
        if (port == ServiceDefinition.AGENT_METRICS_PORT) {
            error(name + ".port", "port " + port + " is the agent's Prometheus endpoint (/metrics) in every pod",
                    "use another port for the service, such as 8080");
        }
        Probe readiness = f.containsKey("readiness_probe") ? probe(f.get("readiness_probe"), name + ".readiness_probe") : null;
        Probe liveness = f.containsKey("liveness_probe") ? probe(f.get("liveness_probe"), name + ".liveness_probe") : null;
        List<EnvVar> env = env(f.get("env"), name + ".env");
        String namespace = name(f, name, "namespace", defaultNamespace);
        String team = labelValue(f, name, "team", f.containsKey("namespace") && defaultTeam.equals(defaultNamespace) ? namespace : defaultTeam);
        String zone = f.containsKey("zone") ? name(f, name, "zone", null) : null;
        Limits limits = new Limits(null, memory);
        if (f.containsKey("limits")) {
            Map<String, Node> l = fields(f.get("limits"), name + ".limits", LIMITS);
            limits = new Limits(l.containsKey("cpu") ? quantity(l, name + ".limits", "cpu", null) : null,
                    quantity(l, name + ".limits", "memory", memory.text()));
        }
        Map<String, String> labels = labels(f.get("labels"), name + ".labels");
        Ingress ingress = null;
        if (f.containsKey("ingress")) {
            String p = name + ".ingress";
            Map<String, Node> i = fields(f.get("ingress"), p, INGRESS);
            String host = text(i, p, "host", null);
            if (host == null) {
                error(p + ".host", "an ingress needs a host", "add 'host: " + name + ".example.com'");
            }
            String path = text(i, p, "path", "/");
            if (!INGRESS_PATH.matcher(path).matches() || path.contains("//")) {
                error(p + ".path", "'" + path + "' is not a valid ingress path: " + (!path.startsWith("/") ? "it must start with /"
                                : path.contains("//") ? "it has an empty segment (//)"
                                : "a prefix path holds only letters, digits, '/', '-' and '_'"),
                        "write a path such as /" + name);
            }
            ingress = new Ingress(host, path, text(i, p, "tls_secret", name + "-tls"));
        }
        List<String> callers = strings(f, name, "callers", List.of());
        for (int c = 0; c < callers.size(); c++) {
            checkLabelValue(name + ".callers[" + c + "]", callers.get(c), "a caller");
        }
        Stateful stateful = f.containsKey("stateful") ? stateful(f.get("stateful"), name + ".stateful") : null;
        Alerts alerts = alerts(f.get("alerts"), name + ".alerts");
        return new ServiceDefinition(name, namespace, team, image, cpu, memory, replicas, autoscaling, port, readiness,
                liveness, env, zone, limits, labels, ingress, callers, stateful, alerts);
    }

    private Probe probe(Node node, String p) {
        Map<String, Node> f = fields(node, p, PROBE);
        String path = text(f, p, "path", null);
        if (path == null || !path.startsWith("/")) {
            error(p + ".path", path == null ? "a probe needs a path" : "path '" + path + "' must start with /",
                    "add 'path: /health'");
        }
        return new Probe(path, duration(f, p, "interval", "10s"), duration(f, p, "initial_delay", "0s"));
    }

    private List<EnvVar> env(Node node, String p) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof SequenceNode seq)) {
            error(p, "env must be a list", "write each variable as '- name: X' with 'value:' or 'secret:'");
            return List.of();
        }
        List<EnvVar> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            String q = p + "[" + i + "]";
            marks.put(q, mark(seq.getValue().get(i)));
            Map<String, Node> f = fields(seq.getValue().get(i), q, ENV);
            String name = text(f, q, "name", null);
            if (name == null || !ENV_NAME.matcher(name).matches()) {
                error(q + ".name", name == null ? "a variable needs a name" : "'" + name + "' is not a valid variable name",
                        "add 'name: LOG_LEVEL' (letters, digits and '_')");
                continue;
            }
            if (!seen.add(name)) {
                error(q + ".name", "variable " + name + " is set twice", "keep one entry for " + name);
            }
            String value = text(f, q, "value", null);
            String secret = f.containsKey("secret") ? name(f, q, "secret", null) : null;
            if ((value == null) == (secret == null)) {
                error(q, value == null ? name + " has neither value nor secret" : name + " has both value and secret",
                        "give exactly one: 'value: ...' for plain settings, 'secret: SECRET-NAME' for credentials");
            }
            if (RESERVED_ENV.contains(name) || (name.equals("JAVA_TOOL_OPTIONS") || name.equals("OTEL_RESOURCE_ATTRIBUTES")) && secret != null) {
                error(q + ".name", name + " is set by plumb for the agent" + (secret != null ? " and cannot come from a secret" : ""),
                        name.equals("JAVA_TOOL_OPTIONS") || name.equals("OTEL_RESOURCE_ATTRIBUTES")
                                ? "give it as 'value:'; plumb adds it to its own" : "remove it; plumb sets it from the service's name and the file's collector");
            }
            if (name.equals("PLUMB_PROMETHEUS_PORT")) {
                error(q + ".name", "the agent serves /metrics on port " + ServiceDefinition.AGENT_METRICS_PORT
                        + ", where the PodMonitor and the NetworkPolicy expect it", "remove PLUMB_PROMETHEUS_PORT");
            }
            String key = text(f, q, "key", name);
            if (f.containsKey("key") && secret == null) {
                error(q + ".key", "key only applies to a secret", "add 'secret: SECRET-NAME' or remove key");
            }
            out.add(new EnvVar(name, value, secret, key));
        }
        return out;
    }

    private Stateful stateful(Node node, String p) {
        Map<String, Node> f = fields(node, p, STATEFUL);
        Quantity volume = quantity(f, p, "volume", null);
        if (volume == null && !f.containsKey("volume")) {
            error(p + ".volume", "a stateful service needs a volume size", "add 'volume: 10Gi'");
        }
        String mountPath = text(f, p, "mount_path", "/data");
        String storageClass = text(f, p, "storage_class", null);
        boolean encrypted = bool(f, p, "encrypted", true);
        Backup backup = null;
        if (f.containsKey("backup")) {
            String b = p + ".backup";
            Map<String, Node> bf = fields(f.get("backup"), b, BACKUP);
            String schedule = text(bf, b, "schedule", null);
            if (schedule == null || !CRON.matcher(schedule).matches()) {
                error(b + ".schedule", schedule == null ? "a backup needs a schedule" : "'" + schedule + "' is not a cron schedule",
                        "add 'schedule: \"0 2 * * *\"' (five cron fields) or '@daily'");
            }
            backup = new Backup(schedule, duration(bf, b, "retention", "30d"));
        }
        return new Stateful(volume, mountPath, storageClass, encrypted, backup);
    }

    private Alerts alerts(Node node, String p) {
        Map<String, Node> f = node == null ? Map.of() : fields(node, p, ALERTS);
        double errorRate = 0.01;
        if (f.containsKey("error_rate")) {
            String t = scalar(f.get("error_rate"));
            try {
                errorRate = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
                if (!(errorRate > 0 && errorRate < 1)) {
                    error(p + ".error_rate", "error_rate " + t + " is not between 0 and 100%", "use a fraction such as 0.01 or a percentage such as 1%");
                }
            } catch (NumberFormatException e) {
                error(p + ".error_rate", "'" + t + "' is not a rate", "use a fraction such as 0.01 or a percentage such as 1%");
            }
        }
        return new Alerts(errorRate, duration(f, p, "p99_latency", "500ms"), duration(f, p, "for", "5m"));
    }

    private Map<String, String> labels(Node node, String p) {
        if (node == null) {
            return Map.of();
        }
        if (!(node instanceof MappingNode m)) {
            error(p, "labels must be a mapping", "write 'labels: {tier: critical}'");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = scalar(t.getKeyNode());
            marks.put(p + "." + k, mark(t.getKeyNode()));
            if (k.startsWith("app.kubernetes.io/") || k.startsWith("plumb.dev/")) {
                error(p + "." + k, "label " + k + " is set by plumb", "use a label outside app.kubernetes.io/ and plumb.dev/");
            } else if (k.indexOf('/') > 253 || !LABEL_KEY.matcher(k).matches()) {
                error(p + "." + k, "'" + k + "' is not a valid Kubernetes label key", "use a name of at most 63 letters, digits,"
                        + " '-', '_' and '.', starting and ending with a letter or digit, optionally after a prefix such as example.com/");
            }
            String v = scalarOr(t.getValueNode(), p + "." + k);
            checkLabelValue(p + "." + k, v, null);
            out.put(k, v);
        }
        return out;
    }

    // --- typed field readers: each records the field's mark and reports a problem on a wrong type

    private Map<String, Node> fields(Node node, String path, Set<String> known) {
        if (!(node instanceof MappingNode m)) {
            error(path, "expected a mapping of fields here", "indent the fields " + known + " under " + last(path));
            return Map.of();
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = scalar(t.getKeyNode());
            String field = path.isEmpty() ? key : path + "." + key;
            marks.put(field, mark(t.getKeyNode()));
            if (!known.contains(key)) {
                String near = nearest(key, known);
                error(field, "unknown field '" + key + "'" + (near == null ? "" : " (did you mean '" + near + "'?)"),
                        near == null ? "remove it; the fields here are " + known : "rename it to '" + near + "'");
            } else if (out.put(key, t.getValueNode()) != null) {
                error(field, "field '" + key + "' is given twice", "keep one");
            }
        }
        return out;
    }

    private String text(Map<String, Node> f, String path, String key, String fallback) {
        Node n = f.get(key);
        return n == null ? fallback : scalarOr(n, join(path, key));
    }

    private String name(Map<String, Node> f, String path, String key, String fallback) {
        String v = text(f, path, key, fallback);
        if (v != null && f.containsKey(key) && !DNS_LABEL.matcher(v).matches()) {
            error(join(path, key), "'" + v + "' is not a valid Kubernetes name",
                    "use lower-case letters, digits and '-', at most 63 characters");
        }
        return v;
    }

    /** A field that becomes a label value (team); checked only where it is written. */
    private String labelValue(Map<String, Node> f, String path, String key, String fallback) {
        String v = text(f, path, key, fallback);
        if (f.containsKey(key)) {
            checkLabelValue(join(path, key), v, "a " + key);
        }
        return v;
    }

    /** Reports {@code v} unless it is a Kubernetes label value; {@code what} (such as "a team") must not be empty. */
    private void checkLabelValue(String field, String v, String what) {
        if (what != null && v.isEmpty()) {
            error(field, what + " cannot be empty", "give " + what + "'s name, or remove the field");
        } else if (!LABEL_VALUE.matcher(v).matches()) {
            String like = v.replaceAll("[^A-Za-z0-9_.-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
            like = like.substring(0, Math.min(63, like.length())).replaceAll("[^A-Za-z0-9]+$", "");
            error(field, "'" + v + "' is not a valid Kubernetes label value", "use at most 63 letters, digits, '-', '_'"
                    + " and '.', starting and ending with a letter or digit" + (like.isEmpty() ? "" : ", such as " + like));
        }
    }

    private int integer(Map<String, Node> f, String path, String key, int fallback, int min, int max) {
        Node n = f.get(key);
        if (n == null) {
            return fallback;
        }
        String t = scalarOr(n, join(path, key));
        try {
            int v = Integer.parseInt(t);
            if (v < min || v > max) {
                error(join(path, key), key + " " + v + " is out of range", "use a whole number from " + min + " to " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            error(join(path, key), "'" + t + "' is not a whole number", "use a whole number from " + min + " to " + max);
            return fallback;
        }
    }

    private boolean bool(Map<String, Node> f, String path, String key, boolean fallback) {
        Node n = f.get(key);
        if (n == null) {
            return fallback;
        }
        String t = scalarOr(n, join(path, key)).toLowerCase(Locale.ROOT);
        if (!t.equals("true") && !t.equals("false")) {
            error(join(path, key), "'" + t + "' is not true or false", "write " + key + ": true or " + key + ": false");
            return fallback;
        }
        return Boolean.parseBoolean(t);
    }

    private Quantity quantity(Map<String, Node> f, String path, String key, String fallback) {
        Node n = f.get(key);
        String t = n == null ? fallback : scalarOr(n, join(path, key));
        if (t == null) {
            return null;
        }
        try {
            Quantity q = Quantity.parse(t);
            if (q.value().signum() <= 0) {
                error(join(path, key), key + " must be more than zero", "give an amount such as 500m or 512Mi");
            }
            return q;
        } catch (IllegalArgumentException e) {
            error(join(path, key), e.getMessage(), key.equals("cpu") ? "write cores as 500m, 0.5 or 2"
                    : "write bytes with a unit, such as 512Mi, 1Gi or 10Gi");
            return fallback == null ? null : Quantity.parse(fallback);
        }
    }

    private Duration duration(Map<String, Node> f, String path, String key, String fallback) {
        Node n = f.get(key);
        String t = n == null ? fallback : scalarOr(n, join(path, key));
        var m = DURATION.matcher(t);
        if (!m.matches()) {
            error(join(path, key), "'" + t + "' is not a duration", "write a number and a unit: 500ms, 10s, 5m, 1h or 7d");
            return parseDuration(fallback);
        }
        Duration d = parseDuration(t);
        if (d == null) {
            error(join(path, key), "'" + t + "' is longer than the longest duration plumb accepts, "
                    + LONGEST_DURATION.toDays() + "d", "use at most " + LONGEST_DURATION.toDays() + "d");
            return parseDuration(fallback);
        }
        return d;
    }

    /** The duration {@code t} stands for, or null when it is longer than {@link #LONGEST_DURATION}. */
    private static Duration parseDuration(String t) {
        var m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + t);
        }
        ChronoUnit unit = switch (m.group(2)) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        // Compared as digits first: a number too long for a long must be refused, not thrown or wrapped.
        String digits = m.group(1).replaceFirst("^0+(?=.)", "");
        if (digits.length() > 18 || Long.parseLong(digits) > LONGEST_DURATION.dividedBy(unit.getDuration())) {
            return null;
        }
        return Duration.of(Long.parseLong(digits), unit);
    }

    private List<String> strings(Map<String, Node> f, String path, String key, List<String> fallback) {
        Node n = f.get(key);
        if (n == null) {
            return fallback;
        }
        if (!(n instanceof SequenceNode seq)) {
            error(join(path, key), key + " must be a list", "write " + key + ": [a, b]");
            return fallback;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            String q = join(path, key) + "[" + i + "]";
            marks.put(q, mark(seq.getValue().get(i)));
            out.add(scalarOr(seq.getValue().get(i), q));
        }
        return out;
    }

    private String scalarOr(Node n, String field) {
        if (n instanceof ScalarNode s) {
            return s.getValue();
        }
        error(field, "expected a single value here, not a " + (n instanceof SequenceNode ? "list" : "mapping"),
                "write " + last(field) + ": VALUE on one line");
        return "";
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : String.valueOf(n);
    }

    private void error(String field, String message, String fix) {
        problems.add(Problem.error(markOf(field), field, message, fix));
    }

    private SourceMark markOf(String field) {
        return ServicesFile.nearestMark(marks, field);
    }

    private static SourceMark mark(Node n) {
        return n.getStartMark().map(ServicesFileParser::mark).orElse(SourceMark.START);
    }

    private static SourceMark mark(Mark m) {
        return new SourceMark(m.getLine() + 1, m.getColumn() + 1);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String last(String field) {
        int dot = field.lastIndexOf('.');
        return dot < 0 ? field : field.substring(dot + 1);
    }

    /** The known field nearest to a misspelt one (camelCase and dashes count as underscores), or null. */
    static String nearest(String key, Set<String> known) {
        String k = key.replaceAll("([a-z])([A-Z])", "$1_$2").replace('-', '_').toLowerCase(Locale.ROOT);
        return known.stream()
                .filter(c -> distance(k, c) <= Math.max(2, c.length() / 3))
                .min(Comparator.comparingInt(c -> distance(k, c)))
                .orElse(null);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Set<String> keys(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }
}
