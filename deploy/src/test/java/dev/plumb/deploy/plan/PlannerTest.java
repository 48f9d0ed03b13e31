package dev.plumb.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.analytics.cost.Pricing;
import dev.plumb.deploy.definition.ServicesFileParser;
import dev.plumb.deploy.plan.ObjectChange.Action;
import dev.plumb.deploy.render.KubeObject;
import dev.plumb.deploy.render.KubernetesRenderer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final String PAYMENT = contractExample().replace("replicas: 3", "replicas: %d");

    /** The contract's services.yaml example. */
    private static String contractExample() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(PlannerTest.class.getResource("/contract-example.yaml").toURI()));
        } catch (Exception e) {
            throw new IllegalStateException("contract-example.yaml is missing from the test resources", e);
        }
    }

    static List<KubeObject> render(String yaml) {
        var parsed = ServicesFileParser.parse(yaml, "services.yaml");
        assertThat(parsed.hasErrors()).isFalse();
        return KubernetesRenderer.render(parsed.file());
    }

    private static MonthlyCost defaults() {
        return new MonthlyCost(Pricing.defaults(), NOW);
    }

    @Test
    void firstPlanCreatesEverythingAndPricesTheContractExample() {
        Plan plan = Planner.plan(render(PAYMENT.formatted(3)), List.of(), false, defaults());

        assertThat(plan.count(Action.CREATE)).isEqualTo(9);
        assertThat(plan.count(Action.UPDATE) + plan.count(Action.DELETE)).isZero();
        // 730 h x 3 replicas x (0.5 cores x 0.031611 + 0.5 GiB x 0.004237) = 39.25356
        assertThat(plan.costs()).singleElement().satisfies(c -> {
            assertThat(c.service()).isEqualTo("default/payment-service");
            assertThat(c.beforeCost()).isEqualByComparingTo("0");
            assertThat(c.afterCost()).isEqualByComparingTo("39.25356");
        });
        assertThat(plan.summary()).isEqualTo("9 to create, 0 to update, 0 to delete, 0 unchanged; monthly cost +39.25 USD");
    }

    @Test
    void scalingUpIsOneFieldOfOneObjectAndItsCost() {
        Plan plan = Planner.plan(render(PAYMENT.formatted(5)), render(PAYMENT.formatted(3)), false, defaults());

        assertThat(plan.changes()).filteredOn(c -> c.action() == Action.UPDATE).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("Deployment/default/payment-service");
            assertThat(c.fields()).containsExactly(new FieldChange("spec.replicas", 3, 5));
        });
        assertThat(plan.count(Action.UNCHANGED)).isEqualTo(8);
        // two more pods: 730 x 2 x 0.017924 = 26.16904
        assertThat(plan.totalDelta()).isEqualByComparingTo("26.16904");
        assertThat(plan.costs().get(0).beforeCost()).isEqualByComparingTo("39.25356");
        assertThat(plan.costs().get(0).afterCost()).isEqualByComparingTo("65.4226");
    }

    @Test
    void aServiceLeftOutOfTheFileIsDeletedAndItsCostGoes() {
        List<KubeObject> before = render(PAYMENT.formatted(3));
        List<KubeObject> after = render("""
                services:
                  other:
                    image: other:1.0.0
                    cpu: 1
                    memory: 1Gi
                """);

        Plan plan = Planner.plan(after, before, false, defaults());

        assertThat(plan.changes()).filteredOn(c -> c.action() == Action.DELETE).extracting(ObjectChange::id)
                .contains("Deployment/default/payment-service", "Service/default/payment-service")
                .doesNotContain("NetworkPolicy/default/default-deny");
        assertThat(plan.costs()).extracting(ServiceCost::service).containsExactly("default/other", "default/payment-service");
        // other: 730 x 1 x (1 x 0.031611 + 1 x 0.004237) = 26.16904; payment-service's 39.25356 goes
        assertThat(plan.totalDelta()).isEqualByComparingTo("-13.08452");
    }

    @Test
    void statefulVolumesArePricedPerReplicaPerMonthAndAutoscaledServicesAtTheirMinimum() throws Exception {
        var shop = ServicesFileParser.parse(java.nio.file.Path.of(getClass().getResource("/shop.yaml").toURI())).file();

        Plan plan = Planner.plan(KubernetesRenderer.render(shop), List.of(), false, defaults());

        assertThat(plan.costs()).extracting(ServiceCost::service, c -> c.afterCost().setScale(5, java.math.RoundingMode.HALF_UP).toPlainString())
                .containsExactly(
                        // 730 x 3 (autoscaling min) x (0.5 x 0.031611 + 0.5 x 0.004237)
                        org.assertj.core.groups.Tuple.tuple("shop/payment-service", "39.25356"),
                        // 730 x 2 x (1.5 x 0.031611 + 1 x 0.004237) + 2 x 20 GiB x 0.04
                        org.assertj.core.groups.Tuple.tuple("shop/ledger", "77.01411"),
                        // 730 x 2 x (0.25 x 0.031611 + 0.25 x 0.004237)
                        org.assertj.core.groups.Tuple.tuple("shop/storefront", "13.08452"));
    }

    @Test
    void aNamespaceOverrideInThePricingFileChangesThePrice() {
        Pricing pricing = Pricing.parse("""
                currency: EUR
                overrides:
                  - namespace: default
                    prices:
                      - cpuCoreHour: 0.05
                """, "pricing.yaml");

        Plan plan = Planner.plan(render(PAYMENT.formatted(1)), List.of(), false, new MonthlyCost(pricing, NOW));

        // 730 x 1 x (0.5 x 0.05 + 0.5 x 0.004237) = 19.796505
        assertThat(plan.totalAfter()).isEqualByComparingTo("19.796505");
        assertThat(plan.summary()).endsWith("monthly cost +19.80 EUR");
    }

    @Test
    void quantitiesTheApiServerRewritesAreNotAChange() {
        Map<String, Object> current = Map.of("spec", Map.of("containers", List.of(Map.of("name", "app",
                "resources", Map.of("requests", Map.of("cpu", "1500m", "memory", "1Gi"))))));
        Map<String, Object> desired = Map.of("spec", Map.of("containers", List.of(Map.of("name", "app",
                "resources", Map.of("requests", Map.of("cpu", "1.5", "memory", "1024Mi"))))));
        Map<String, Object> bigger = Map.of("spec", Map.of("containers", List.of(Map.of("name", "app",
                "resources", Map.of("requests", Map.of("cpu", "2", "memory", "1Gi"))))));

        assertThat(ObjectDiff.between(current, desired, true)).isEmpty();
        assertThat(ObjectDiff.between(current, bigger, true)).extracting(FieldChange::describe)
                .containsExactly("spec.containers[app].resources.requests.cpu: 1500m -> 2");
    }

    @Test
    void againstALiveObjectOnlyTheFieldsPlumbSetsAreCompared() {
        KubeObject desired = render(PAYMENT.formatted(3)).stream().filter(o -> o.kind().equals("Service")).findFirst().orElseThrow();
        var live = new java.util.LinkedHashMap<>(desired.body());
        live.put("status", java.util.Map.of("loadBalancer", java.util.Map.of()));

        Plan plan = Planner.plan(List.of(desired), List.of(new KubeObject(live)), true, defaults());

        assertThat(plan.changes()).singleElement().extracting(ObjectChange::action).isEqualTo(Action.UNCHANGED);
    }
}
