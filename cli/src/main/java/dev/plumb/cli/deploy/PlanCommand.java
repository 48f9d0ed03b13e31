package dev.plumb.cli.deploy;

import dev.plumb.deploy.apply.DeployTarget;
import dev.plumb.deploy.plan.Plan;
import dev.plumb.deploy.plan.Planner;
import dev.plumb.deploy.render.KubeObject;
import dev.plumb.deploy.render.KubernetesRenderer;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code plumb deploy plan FILE}: what apply would change, object by object and field by field, and its monthly cost. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Show what applying a service definition would change, against the last applied state (--state)",
                "or a Kubernetes API (--kube-api): each object to create (+), update (~, with the fields that change)",
                "or delete (-), then the monthly cost per service before and after, from the requested resources:",
                "month hours x replicas x (cores x core-hour price + memory GiB x GiB-hour price) + replicas x",
                "volume GiB x GiB-month price. An autoscaled service counts at its minimum replicas."},
        footer = {"", "Examples:", "  ./plumb deploy plan services.yaml",
                "  ./plumb deploy plan services.yaml --state deploy-state --pricing pricing.yaml",
                "  ./plumb deploy plan services.yaml --json | jq .cost.totalDelta",
                "  kubectl proxy & ./plumb deploy plan services.yaml --kube-api http://127.0.0.1:8001", "",
                "Exit codes: 0 planned, 1 schema or policy errors or the cluster could not be read, 2 bad command line."})
public final class PlanCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The services.yaml to plan.")
    Path file;

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Option(names = "--json", description = "Print the plan as JSON (fields in docs/deploy.md) instead of text.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;

    /** Made by PlumbCommand's factory with the environment the command runs in. */
    public PlanCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        CheckedDefinition d = CheckedDefinition.load(file, spec);
        if (!d.report(spec.commandLine().getErr(), "; fix them to see a plan")) {
            return 1;
        }
        try {
            DeployTarget t = target.target(env);
            List<KubeObject> desired = KubernetesRenderer.render(d.file());
            Plan plan = Planner.plan(desired, t.current(desired), t.live(), target.cost(Instant.now()));
            if (json) {
                spec.commandLine().getOut().println(PlanReport.json(plan, t.describe()));
                spec.commandLine().getOut().flush();
            } else {
                PlanReport.print(plan, t.describe(), spec.commandLine().getOut());
            }
            return 0;
        } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
            spec.commandLine().getErr().println("plumb deploy plan: " + e.getMessage());
            return 1;
        }
    }
}
