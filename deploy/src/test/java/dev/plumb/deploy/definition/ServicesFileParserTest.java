package dev.plumb.deploy.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServicesFileParserTest {

    static ServicesFileParser.Result parseResource(String name) throws Exception {
        return ServicesFileParser.parse(Path.of(ServicesFileParserTest.class.getResource("/" + name).toURI()));
    }

    static List<String> formatted(List<Problem> problems, String file) {
        return problems.stream().map(p -> p.format(file)).toList();
    }

    @Test
    void readsTheContractExampleWithItsDefaults() throws Exception {
        var result = parseResource("contract-example.yaml");

        assertThat(result.problems()).isEmpty();
        ServiceDefinition s = result.file().service("payment-service");
        assertThat(s.image()).isEqualTo("our-registry/payment:latest");
        assertThat(s.cpu().value()).isEqualByComparingTo("0.5");
        assertThat(s.memory().gib()).isEqualByComparingTo("0.5");
        assertThat(s.replicas()).isEqualTo(3);
        assertThat(s.readinessProbe().path()).isEqualTo("/health");
        assertThat(s.readinessProbe().interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.env()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("DB_URL");
            assertThat(e.secret()).isEqualTo("payment-db-conn-string");
            assertThat(e.key()).isEqualTo("DB_URL");
        });
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.namespace()).isEqualTo("default");
        assertThat(s.team()).isEqualTo("default");
        assertThat(result.file().environment()).isEqualTo("dev");
    }

    @Test
    void readsEveryOptionalField() throws Exception {
        var result = parseResource("shop.yaml");

        assertThat(result.problems()).isEmpty();
        ServiceDefinition pay = result.file().service("payment-service");
        assertThat(pay.namespace()).isEqualTo("shop");
        assertThat(pay.team()).isEqualTo("payments");
        assertThat(pay.autoscaling()).isEqualTo(new ServiceDefinition.Autoscaling(3, 6, 65));
        assertThat(pay.baseReplicas()).isEqualTo(3);
        assertThat(pay.limits().memory().text()).isEqualTo("768Mi");
        assertThat(pay.alerts()).isEqualTo(new ServiceDefinition.Alerts(0.02, Duration.ofMillis(300), Duration.ofMinutes(10)));
        assertThat(pay.labels()).containsEntry("tier", "critical");
        ServiceDefinition ledger = result.file().service("ledger");
        assertThat(ledger.team()).isEqualTo("commerce");
        assertThat(ledger.cpu().value()).isEqualByComparingTo("1.5");
        assertThat(ledger.stateful().volume().gib()).isEqualByComparingTo("20");
        assertThat(ledger.stateful().backup().retention()).isEqualTo(Duration.ofDays(14));
        assertThat(result.file().service("storefront").ingress().host()).isEqualTo("shop.example.com");
    }

    @Test
    void unknownFieldNamesItsLineAndTheNearestKnownField() {
        var result = ServicesFileParser.parse("""
                services:
                  payment-service:
                    image: pay:1.0.0
                    readinessProbe: {path: /health}
                    memroy: 512Mi
                """, "services.yaml");

        assertThat(formatted(result.problems(), "services.yaml")).containsExactly(
                "services.yaml:4:5 payment-service.readinessProbe: unknown field 'readinessProbe' (did you mean"
                        + " 'readiness_probe'?); fix: rename it to 'readiness_probe'",
                "services.yaml:5:5 payment-service.memroy: unknown field 'memroy' (did you mean 'memory'?);"
                        + " fix: rename it to 'memory'");
    }

    @Test
    void listsEverySchemaProblemNotJustTheFirst() throws Exception {
        var result = parseResource("broken.yaml");

        assertThat(formatted(result.problems(), "broken.yaml")).containsExactly(
                "broken.yaml:5:5 payment-service.cpu: '500x' is not a Kubernetes quantity (such as 500m, 1.5, 512Mi, 1Gi);"
                        + " fix: write cores as 500m, 0.5 or 2",
                "broken.yaml:8:5 payment-service.readinessProbe: unknown field 'readinessProbe' (did you mean"
                        + " 'readiness_probe'?); fix: rename it to 'readiness_probe'");
    }

    @Test
    void readsKubernetesQuantities() {
        assertThat(Quantity.parse("500m").value()).isEqualByComparingTo("0.5");
        assertThat(Quantity.parse("1.5").value()).isEqualByComparingTo("1.5");
        assertThat(Quantity.parse("2").value()).isEqualByComparingTo("2");
        assertThat(Quantity.parse("512Mi").gib()).isEqualByComparingTo("0.5");
        assertThat(Quantity.parse("1Gi").value()).isEqualByComparingTo("1073741824");
        assertThat(Quantity.parse("128M").value()).isEqualByComparingTo("128000000");
        assertThat(Quantity.parse("1.5Gi").gib()).isEqualByComparingTo("1.5");
        assertThat(Quantity.parse("1e3").value()).isEqualByComparingTo("1000");
        Map.of("1E", "1000000000000000000", "1.5e-3", "0.0015", ".5", "0.5", "2.", "2", "+1", "1",
                "7Ei", String.valueOf(7L << 60)).forEach((text, value) ->
                assertThat(Quantity.parse(text).value()).as(text).isEqualByComparingTo(value));
    }

    @Test
    void refusesQuantitiesOutsideKubernetesGrammar() {
        for (String notAQuantity : List.of("1e3Mi", "2E6Ki", "1e3m", "1Gib", "1mi", "1e", "e3", "1.2.3", "1 Gi")) {
            assertThatThrownBy(() -> Quantity.parse(notAQuantity)).as(notAQuantity)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("'" + notAQuantity + "' is not a Kubernetes quantity");
        }
        assertThatThrownBy(() -> Quantity.parse("8Ei")).hasMessage("'8Ei' is out of the range of a Kubernetes quantity (at most 2^63-1)");
        assertThatThrownBy(() -> Quantity.parse("1e99999999999")).hasMessageContaining("out of the range");

        var result = ServicesFileParser.parse("""
                services:
                  api:
                    image: api:1.0.0
                    cpu: -1
                    memory: 1e3Mi
                """, "services.yaml");
        assertThat(formatted(result.problems(), "services.yaml")).containsExactly(
                "services.yaml:4:5 api.cpu: cpu must be more than zero; fix: give an amount such as 500m or 512Mi",
                "services.yaml:5:5 api.memory: '1e3Mi' is not a Kubernetes quantity (a number takes an exponent, e3, or a unit,"
                        + " Mi, not both); fix: write bytes with a unit, such as 512Mi, 1Gi or 10Gi");
    }

    @Test
    void refusesWrongTypesAndRangesWithTheFix() {
        var result = ServicesFileParser.parse("""
                services:
                  Payment_Service:
                    image: pay:1.0.0
                    replicas: three
                    port: 70000
                    memory: lots
                    env:
                      - name: A
                      - name: B
                        value: x
                        secret: s
                    autoscaling: {min: 4, max: 2}
                """, "services.yaml");

        assertThat(formatted(result.problems(), "services.yaml")).containsExactly(
                "services.yaml:2:3 Payment_Service: 'Payment_Service' is not a valid Kubernetes name; fix: use lower-case"
                        + " letters, digits and '-', at most 63 characters, such as payment-service",
                "services.yaml:4:5 Payment_Service.replicas: 'three' is not a whole number; fix: use a whole number from 0 to 1000",
                "services.yaml:4:5 Payment_Service.replicas: replicas and autoscaling are both set; fix: remove replicas:"
                        + " the autoscaler's min and max decide how many pods run",
                "services.yaml:5:5 Payment_Service.port: port 70000 is out of range; fix: use a whole number from 1 to 65535",
                "services.yaml:6:5 Payment_Service.memory: 'lots' is not a Kubernetes quantity (such as 500m, 1.5, 512Mi,"
                        + " 1Gi); fix: write bytes with a unit, such as 512Mi, 1Gi or 10Gi",
                "services.yaml:8:9 Payment_Service.env[0]: A has neither value nor secret; fix: give exactly one:"
                        + " 'value: ...' for plain settings, 'secret: SECRET-NAME' for credentials",
                "services.yaml:9:9 Payment_Service.env[1]: B has both value and secret; fix: give exactly one:"
                        + " 'value: ...' for plain settings, 'secret: SECRET-NAME' for credentials",
                "services.yaml:12:27 Payment_Service.autoscaling.max: max 2 is below min 4; fix: set max to at least 4");
    }

    @Test
    void variablesTheAgentInjectionSetsCannotBeOverridden() {
        var result = ServicesFileParser.parse("""
                services:
                  api:
                    image: api:1.0.0
                    env:
                      - {name: OTEL_SERVICE_NAME, value: other}
                      - {name: JAVA_TOOL_OPTIONS, secret: jvm-flags}
                """, "services.yaml");

        assertThat(formatted(result.problems(), "services.yaml")).containsExactly(
                "services.yaml:5:10 api.env[0].name: OTEL_SERVICE_NAME is set by plumb for the agent; fix: remove it; plumb"
                        + " sets it from the service's name and the file's collector",
                "services.yaml:6:10 api.env[1].name: JAVA_TOOL_OPTIONS is set by plumb for the agent and cannot come from a"
                        + " secret; fix: give it as 'value:'; plumb adds it to its own");
    }

    @Test
    void labelValuesAndIngressPathsFollowKubernetesSyntax() {
        var result = ServicesFileParser.parse("""
                team: Payments Team
                services:
                  api:
                    image: api:1.0.0
                    team: payments-
                    labels: {tier: critical!, "-owner": ok, note: ""}
                    callers: [checkout, "", web_frontend.v2, "%s"]
                    ingress: {host: api.example.com, path: "/shop now"}
                  web:
                    image: web:1.0.0
                    ingress: {host: web.example.com, path: shop}
                  admin:
                    image: admin:1.0.0
                    ingress: {host: admin.example.com, path: /v1.0//admin}
                """.formatted("a".repeat(64)), "services.yaml");

        String rule = "use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
        assertThat(formatted(result.problems(), "services.yaml")).containsExactly(
                "services.yaml:1:1 team: 'Payments Team' is not a valid Kubernetes label value; fix: " + rule
                        + ", such as Payments-Team",
                "services.yaml:5:5 api.team: 'payments-' is not a valid Kubernetes label value; fix: " + rule + ", such as payments",
                "services.yaml:6:14 api.labels.tier: 'critical!' is not a valid Kubernetes label value; fix: " + rule
                        + ", such as critical",
                "services.yaml:6:31 api.labels.-owner: '-owner' is not a valid Kubernetes label key; fix: use a name of at most"
                        + " 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, optionally after a"
                        + " prefix such as example.com/",
                "services.yaml:7:25 api.callers[1]: a caller cannot be empty; fix: give a caller's name, or remove the field",
                "services.yaml:7:46 api.callers[3]: '" + "a".repeat(64) + "' is not a valid Kubernetes label value; fix: "
                        + rule + ", such as " + "a".repeat(63),
                "services.yaml:8:38 api.ingress.path: '/shop now' is not a valid ingress path: a prefix path holds only letters,"
                        + " digits, '/', '-' and '_'; fix: write a path such as /api",
                "services.yaml:11:38 web.ingress.path: 'shop' is not a valid ingress path: it must start with /; fix: write a path"
                        + " such as /web",
                "services.yaml:14:40 admin.ingress.path: '/v1.0//admin' is not a valid ingress path: it has an empty segment (//);"
                        + " fix: write a path such as /admin");
        assertThat(result.file().service("api").callers()).contains("web_frontend.v2");
    }

    @Test
    void refusesDurationsTooLongToRenderInsteadOfWrappingThem() {
        var result = ServicesFileParser.parse("""
                services:
                  api:
                    image: api:1.0.0
                    readiness_probe: {path: /health, interval: 3000000d, initial_delay: 99999999999999999999s}
                    alerts: {p99_latency: 9223372036854775807ms, for: 3650d}
                """, "services.yaml");

        String fix = "; fix: use at most 3650d";
        assertThat(formatted(result.problems(), "services.yaml")).containsExactly(
                "services.yaml:4:38 api.readiness_probe.interval: '3000000d' is longer than the longest duration plumb"
                        + " accepts, 3650d" + fix,
                "services.yaml:4:58 api.readiness_probe.initial_delay: '99999999999999999999s' is longer than the longest"
                        + " duration plumb accepts, 3650d" + fix,
                "services.yaml:5:14 api.alerts.p99_latency: '9223372036854775807ms' is longer than the longest duration"
                        + " plumb accepts, 3650d" + fix);
        ServiceDefinition api = result.file().service("api");
        assertThat(api.readinessProbe().interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(api.alerts().holdFor()).isEqualTo(Duration.ofDays(3650));
        assertThat(ServicesFileParser.parse("""
                services:
                  api: {image: api:1.0.0, alerts: {p99_latency: 000000000000000000000500ms}}
                """, "services.yaml").file().service("api").alerts().p99Latency()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theAgentsPrometheusPortIsReserved() {
        var result = ServicesFileParser.parse("""
                services:
                  api:
                    image: api:1.0.0
                    port: 9464
                    env:
                      - {name: PLUMB_PROMETHEUS_PORT, value: "9100"}
                """, "services.yaml");

        assertThat(formatted(result.problems(), "services.yaml")).containsExactly(
                "services.yaml:4:5 api.port: port 9464 is the agent's Prometheus endpoint (/metrics) in every pod; fix: use"
                        + " another port for the service, such as 8080",
                "services.yaml:6:10 api.env[0].name: the agent serves /metrics on port 9464, where the PodMonitor and the"
                        + " NetworkPolicy expect it; fix: remove PLUMB_PROMETHEUS_PORT");
    }

    @Test
    void aServiceDefinedTwiceIsAnError() {
        var result = ServicesFileParser.parse("""
                services:
                  api:
                    image: api:1.0.0
                  api:
                    image: api:2.0.0
                """, "services.yaml");

        assertThat(formatted(result.problems(), "services.yaml")).containsExactly(
                "services.yaml:4:3 api: service api is defined twice; fix: keep one definition of api, or rename one of them");
        assertThat(result.file().services()).hasSize(1);
    }

    @Test
    void invalidYamlPointsAtTheLine() {
        var result = ServicesFileParser.parse("services:\n  a:\n    image: [x\n", "services.yaml");

        assertThat(result.file()).isNull();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("(yaml)");
            assertThat(p.mark().line()).isEqualTo(4);
        });
    }

    @Test
    void suggestsNothingForAFieldFarFromEveryKnownOne() {
        assertThat(ServicesFileParser.nearest("colour", Set.of("image", "cpu"))).isNull();
        assertThat(ServicesFileParser.nearest("liveness-probe", Set.of("liveness_probe", "port"))).isEqualTo("liveness_probe");
    }
}
