package dev.plumb.deploy.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.analytics.cost.Pricing;
import dev.plumb.deploy.definition.ServicesFileParser;
import dev.plumb.deploy.plan.MonthlyCost;
import dev.plumb.deploy.plan.ObjectChange.Action;
import dev.plumb.deploy.plan.Plan;
import dev.plumb.deploy.plan.Planner;
import dev.plumb.deploy.render.KubeObject;
import dev.plumb.deploy.render.KubernetesRenderer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Apply against {@link MockKubernetesApi}, a JDK HttpServer on loopback standing in for Kubernetes. */
class KubernetesApiTest {

    private static final MonthlyCost COST = new MonthlyCost(Pricing.defaults(), Instant.parse("2026-11-26T12:00:00Z"));

    private static List<KubeObject> render(String replicas) {
        return KubernetesRenderer.render(ServicesFileParser.parse("""
                services:
                  payment-service:
                    image: pay:1.0.0
                    replicas: %s
                    readiness_probe: {path: /health}
                """.formatted(replicas), "services.yaml").file());
    }

    @Test
    void appliesEveryObjectWithServerSideApplyThenSeesNoChange(@TempDir Path state) throws Exception {
        try (MockKubernetesApi mock = new MockKubernetesApi()) {
            KubernetesApi api = new KubernetesApi(mock.uri(), "t0ken", new StateDirectory(state));
            List<KubeObject> desired = render("2");

            Plan first = Planner.plan(desired, api.current(desired), true, COST);
            api.apply(first, desired);

            assertThat(first.count(Action.CREATE)).isEqualTo(9);
            assertThat(mock.requests).contains(
                    "PATCH /apis/apps/v1/namespaces/default/deployments/payment-service?fieldManager=plumb&force=true application/apply-patch+yaml",
                    "PATCH /api/v1/namespaces/default/services/payment-service?fieldManager=plumb&force=true application/apply-patch+yaml",
                    "PATCH /apis/networking.k8s.io/v1/namespaces/default/networkpolicies/default-deny?fieldManager=plumb&force=true application/apply-patch+yaml",
                    "PATCH /apis/monitoring.coreos.com/v1/namespaces/default/prometheusrules/payment-service?fieldManager=plumb&force=true application/apply-patch+yaml");
            assertThat(mock.objects).hasSize(9);

            Plan second = Planner.plan(desired, api.current(desired), true, COST);
            assertThat(second.isEmpty()).as("live objects with status and uid equal what was applied").isTrue();
        }
    }

    @Test
    void scalingIsAnUpdateAndARemovedServiceIsDeleted(@TempDir Path state) throws Exception {
        try (MockKubernetesApi mock = new MockKubernetesApi()) {
            KubernetesApi api = new KubernetesApi(mock.uri(), null, new StateDirectory(state));
            List<KubeObject> two = render("2");
            api.apply(Planner.plan(two, api.current(two), true, COST), two);

            List<KubeObject> four = render("4");
            Plan scale = Planner.plan(four, api.current(four), true, COST);
            assertThat(scale.changes()).filteredOn(c -> c.action() == Action.UPDATE).singleElement()
                    .satisfies(c -> assertThat(c.fields()).extracting(f -> f.describe()).containsExactly("spec.replicas: 2 -> 4"));

            List<KubeObject> none = KubernetesRenderer.render(ServicesFileParser.parse("""
                    services:
                      other:
                        image: other:1.0.0
                    """, "services.yaml").file());
            Plan remove = Planner.plan(none, api.current(none), true, COST);
            api.apply(remove, none);
            assertThat(remove.changes()).filteredOn(c -> c.action() == Action.DELETE).extracting(c -> c.id())
                    .contains("Deployment/default/payment-service");
            assertThat(mock.requests).contains("DELETE /apis/apps/v1/namespaces/default/deployments/payment-service null");
            assertThat(mock.objects.keySet()).noneMatch(p -> p.endsWith("/payment-service"));
        }
    }

    @Test
    void aRefusedObjectFailsTheApplyNamingItAndTheServersReason(@TempDir Path state) throws Exception {
        try (MockKubernetesApi mock = new MockKubernetesApi()) {
            mock.refuse.add("/apis/apps/v1/namespaces/default/deployments/payment-service");
            KubernetesApi api = new KubernetesApi(mock.uri(), null, new StateDirectory(state));
            List<KubeObject> desired = render("2");

            assertThatThrownBy(() -> api.apply(Planner.plan(desired, api.current(desired), true, COST), desired))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("PATCH Deployment/default/payment-service: the API server answered 422: admission webhook denied the request");
            assertThat(new StateDirectory(state).current(desired)).as("nothing recorded as applied").isEmpty();
        }
    }

    @Test
    void pluralsFollowTheApiServersResourceNames() {
        assertThat(KubernetesApi.plural("NetworkPolicy")).isEqualTo("networkpolicies");
        assertThat(KubernetesApi.plural("Ingress")).isEqualTo("ingresses");
        assertThat(KubernetesApi.plural("HorizontalPodAutoscaler")).isEqualTo("horizontalpodautoscalers");
        assertThat(KubernetesApi.plural("Schedule")).isEqualTo("schedules");
    }
}
