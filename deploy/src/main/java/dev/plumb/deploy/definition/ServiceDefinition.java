package dev.plumb.deploy.definition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One service of a services.yaml, with every default filled in. Optional parts
 * ({@code autoscaling}, {@code zone}, {@code ingress}, {@code stateful}, probes) are null when
 * not declared.
 */
public record ServiceDefinition(String name, String namespace, String team, String image, Quantity cpu,
                                Quantity memory, int replicas, Autoscaling autoscaling, int port, Probe readinessProbe,
                                Probe livenessProbe, List<EnvVar> env, String zone, Limits limits,
                                Map<String, String> labels, Ingress ingress, List<String> callers, Stateful stateful,
                                Alerts alerts) {

    /**
     * The port of the agent's Prometheus endpoint ({@code :9464/metrics}) in every pod, as the
     * platform injects the agent: a service's own port must be another.
     */
    public static final int AGENT_METRICS_PORT = 9464;

    public ServiceDefinition {
        Objects.requireNonNull(name, "name");
        env = List.copyOf(env);
        labels = Map.copyOf(labels);
        callers = List.copyOf(callers);
    }

    /** The replicas that always run: the fixed count, or the autoscaler's minimum. */
    public int baseReplicas() {
        return autoscaling == null ? replicas : autoscaling.min();
    }

    /** An HTTP GET probe. */
    public record Probe(String path, Duration interval, Duration initialDelay) {
    }

    /** An environment variable: a literal {@code value}, or a {@code key} of the Kubernetes Secret {@code secret}. */
    public record EnvVar(String name, String value, String secret, String key) {
        public boolean fromSecret() {
            return secret != null;
        }
    }

    /** A HorizontalPodAutoscaler on CPU utilisation. */
    public record Autoscaling(int min, int max, int cpuUtilization) {
    }

    /** Container limits; null parts are not limited. */
    public record Limits(Quantity cpu, Quantity memory) {
    }

    /** An Ingress for {@code host}, TLS with the certificate in Secret {@code tlsSecret}. */
    public record Ingress(String host, String path, String tlsSecret) {
    }

    /** A persistent volume per replica, and its backup (null when none is declared). */
    public record Stateful(Quantity volume, String mountPath, String storageClass, boolean encrypted, Backup backup) {
    }

    /** A backup on a cron schedule, kept for {@code retention}. */
    public record Backup(String schedule, Duration retention) {
    }

    /** Alert thresholds: error rate as a fraction, p99 latency, and how long they must hold. */
    public record Alerts(double errorRate, Duration p99Latency, Duration holdFor) {
    }
}
