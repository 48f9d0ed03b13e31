package dev.plumb.cli.deploy;

import dev.plumb.analytics.cost.Pricing;
import dev.plumb.deploy.apply.DeployTarget;
import dev.plumb.deploy.apply.KubernetesApi;
import dev.plumb.deploy.apply.StateDirectory;
import dev.plumb.deploy.plan.MonthlyCost;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where plan and apply find what is deployed, and how they price it. */
final class TargetOptions {

    static final String DEFAULT_STATE = "plumb-state";

    @Option(names = "--state", paramLabel = "DIR",
            description = "Where apply records the objects it applied, one YAML file each (env PLUMB_DEPLOY_STATE)."
                    + " Default: " + DEFAULT_STATE + ".")
    Path state;

    @Option(names = "--kube-api", paramLabel = "URL",
            description = "A Kubernetes API server (such as http://127.0.0.1:8001 from kubectl proxy) to compare with and"
                    + " apply to by server-side apply; the bearer token comes from PLUMB_KUBE_TOKEN. Default: none, the"
                    + " state directory stands for the cluster.")
    URI kubeApi;

    @Option(names = "--pricing", paramLabel = "FILE",
            description = "The pricing file, as for serve (env PLUMB_PRICING). Default: OpenCost's on-premises prices in USD.")
    Path pricing;

    DeployTarget target(Map<String, String> env) {
        Path dir = state != null ? state : Path.of(env.getOrDefault("PLUMB_DEPLOY_STATE", DEFAULT_STATE));
        StateDirectory recorded = new StateDirectory(dir);
        if (kubeApi != null && !"http".equals(kubeApi.getScheme()) && !"https".equals(kubeApi.getScheme())) {
            throw new IllegalArgumentException("--kube-api " + kubeApi + " is not an http(s) URL; give the API server's"
                    + " address, such as https://10.0.0.1:6443 or http://127.0.0.1:8001 from kubectl proxy");
        }
        return kubeApi == null ? recorded : new KubernetesApi(kubeApi, env.get("PLUMB_KUBE_TOKEN"), recorded);
    }

    MonthlyCost cost(Instant now) {
        return new MonthlyCost(pricing == null ? Pricing.defaults() : Pricing.load(pricing), now);
    }
}
