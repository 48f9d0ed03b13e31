package dev.plumb.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.deploy.definition.Problem;
import dev.plumb.deploy.definition.ServicesFileParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoliciesTest {

    private static List<String> policyProblems(String yaml) {
        var parsed = ServicesFileParser.parse(yaml, "services.yaml");
        assertThat(parsed.problems()).as("schema problems").isEmpty();
        return Policies.check(parsed.file()).stream().sorted(Problem.IN_FILE_ORDER).map(p -> p.format("services.yaml")).toList();
    }

    @Test
    void theBrokenFixtureBreaksEveryPolicyAndEachIsListedWithItsFix() throws Exception {
        var parsed = ServicesFileParser.parse(Path.of(getClass().getResource("/broken.yaml").toURI()));

        List<String> problems = Policies.check(parsed.file()).stream().sorted(Problem.IN_FILE_ORDER)
                .map(p -> p.format("broken.yaml")).toList();

        assertThat(problems).containsExactly(
                "broken.yaml:3:3 payment-service.readiness_probe: warning: without a readiness probe, pods get traffic"
                        + " before they can serve it; fix: add 'readiness_probe: {path: /health, interval: 10s}'",
                "broken.yaml:4:5 payment-service.image: the image tag latest can change under a running service, so a"
                        + " restart may run other code (pinned images in prod); fix: pin a version tag or a digest, such as"
                        + " our-registry/payment:1.4.2",
                "broken.yaml:11:9 payment-service.env[0].value: DB_PASSWORD looks like a secret but its value is written"
                        + " in the file (secrets only by reference); fix: store it in a Kubernetes Secret and write"
                        + " 'secret: payment-service-db-password' instead of 'value:'",
                "broken.yaml:13:9 payment-service.env[1].value: DB_URL is a URL with a user and password in it (secrets"
                        + " only by reference); fix: store it in a Kubernetes Secret and write 'secret: payment-service-db-url'"
                        + " instead of 'value:'",
                "broken.yaml:16:15 payment-service.callers[0]: storefront in zone default may not call payment-service in"
                        + " zone pci (isolation between zones); fix: remove storefront from callers, or run both services in"
                        + " the same zone",
                "broken.yaml:17:3 ledger.replicas: warning: one replica is down during every rollout and node drain;"
                        + " fix: set replicas: 2 or more",
                "broken.yaml:21:5 ledger.stateful.backup: a stateful service needs a backup; fix: add 'backup: {schedule:"
                        + " \"0 2 * * *\", retention: 30d}' under stateful",
                "broken.yaml:21:30 ledger.stateful.encrypted: volumes must be encrypted at rest; fix: remove 'encrypted: false'",
                "broken.yaml:21:48 ledger.stateful.storage_class: storage class standard is not one of the encrypted"
                        + " storage classes [encrypted] (encryption at rest); fix: use one of [encrypted], or leave"
                        + " storage_class out");
    }

    @Test
    void theShopFixtureIsCompliant() throws Exception {
        var parsed = ServicesFileParser.parse(Path.of(getClass().getResource("/shop.yaml").toURI()));

        assertThat(parsed.problems()).isEmpty();
        assertThat(Policies.check(parsed.file())).isEmpty();
    }

    @Test
    void latestIsOnlyAWarningOutsideProd() {
        assertThat(policyProblems("""
                services:
                  api:
                    image: api
                    readiness_probe: {path: /health}
                """)).containsExactly("services.yaml:3:5 api.image: warning: the image has no tag, so it means latest can"
                + " change under a running service, so a restart may run other code (an error in environment prod);"
                + " fix: pin a version tag or a digest, such as api:1.4.2");
    }

    @Test
    void secretLookingNamesAndValuesMustBeReferences() {
        assertThat(policyProblems("""
                services:
                  api:
                    image: api:1.0.0
                    readiness_probe: {path: /health}
                    env:
                      - {name: STRIPE_API_KEY, value: abc}
                      - {name: AUTH_TOKEN, value: abc}
                      - {name: JDBC, value: "jdbc:postgresql://db/app?user=app&password=pw"}
                      - {name: GITHUB, value: ghp_abcdefghijklmnopqrstuvwxyz0123}
                      - {name: LOG_LEVEL, value: debug}
                      - {name: KEYCLOAK_URL, value: "https://id.example.com/realms/x"}
                      - {name: DB_PASSWORD, secret: api-db}
                """)).extracting(p -> p.substring(0, p.indexOf(':', p.indexOf(' ') + 1)))
                .containsExactly("services.yaml:6:32 api.env[0].value", "services.yaml:7:28 api.env[1].value",
                        "services.yaml:8:22 api.env[2].value", "services.yaml:9:24 api.env[3].value");
    }

    @Test
    void shortSecretNamesAndCredentialsInAnyUrlOrConnectionStringAreCaught() {
        assertThat(policyProblems("""
                services:
                  api:
                    image: api:1.0.0
                    readiness_probe: {path: /health}
                    env:
                      - {name: DB_PASS, value: abc}
                      - {name: DB_PWD, value: abc}
                      - {name: APIKEY, value: abc}
                      - {name: stripe.key, value: abc}
                      - {name: CACHE, value: "redis://:hunter2@cache:6379"}
                      - {name: MYSQL, value: "jdbc:mysql://app:pw@db/x"}
                      - {name: PG, value: "host=db user=app password=hunter2"}
                      - {name: HOOK, value: "https://h/x?access_token=abc"}
                      - {name: PASSENGER_LIMIT, value: "4"}
                      - {name: BYPASS_CACHE, value: "true"}
                      - {name: DOCS, value: "https://registry.example.com/@scope/pkg"}
                """)).extracting(p -> p.substring(0, p.indexOf(' ', p.indexOf(' ') + 1)))
                .containsExactly("services.yaml:6:25 api.env[0].value:", "services.yaml:7:24 api.env[1].value:",
                        "services.yaml:8:24 api.env[2].value:", "services.yaml:9:28 api.env[3].value:",
                        "services.yaml:10:23 api.env[4].value:", "services.yaml:11:23 api.env[5].value:",
                        "services.yaml:12:20 api.env[6].value:", "services.yaml:13:22 api.env[7].value:");
    }
}
