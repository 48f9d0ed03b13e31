package dev.plumb.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.cli.CommandRun;
import dev.plumb.deploy.apply.MockKubernetesApi;
import dev.plumb.deploy.apply.StubCollector;
import dev.plumb.deploy.audit.AuditLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployCommandTest {

    private static final Map<String, String> ENV = Map.of("USER", "alice");

    @TempDir
    Path dir;

    private Path services(int replicas) throws Exception {
        Path file = dir.resolve("services.yaml");
        Files.writeString(file, contractExample().replace("replicas: 3", "replicas: " + replicas));
        return file;
    }

    private Path broken() throws Exception {
        Path file = dir.resolve("services.yaml");
        Files.writeString(file, """
                environment: prod
                services:
                  payment-service:
                    image: our-registry/payment:latest
                    readiness_probe: {path: /health}
                    replicas: 2
                    env:
                      - name: DB_PASSWORD
                        value: hunter2
                    stateful: {volume: 10Gi}
                    colour: blue
                """);
        return file;
    }

    /** The contract's services.yaml example, from the deploy module's test resources. */
    private static String contractExample() throws Exception {
        try (var in = DeployCommandTest.class.getResourceAsStream("/contract-example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private CommandRun run(String... args) {
        return CommandRun.of(ENV, args);
    }

    @Test
    void validateAcceptsTheContractExampleWithAWarningAboutLatest() throws Exception {
        CommandRun run = run("deploy", "validate", services(3).toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("services.yaml: valid, 1 service, 1 warning" + System.lineSeparator());
        assertThat(run.err()).startsWith("services.yaml:3:5 payment-service.image: warning: the image tag latest");
    }

    @Test
    void validateListsEveryProblemWithLineFieldAndFixAndExits1() throws Exception {
        CommandRun run = run("deploy", "validate", broken().toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines().toList()).containsExactly(
                "services.yaml:4:5 payment-service.image: the image tag latest can change under a running service, so a"
                        + " restart may run other code (pinned images in prod); fix: pin a version tag or a digest, such as"
                        + " our-registry/payment:1.4.2",
                "services.yaml:9:9 payment-service.env[0].value: DB_PASSWORD looks like a secret but its value is written"
                        + " in the file (secrets only by reference); fix: store it in a Kubernetes Secret and write"
                        + " 'secret: payment-service-db-password' instead of 'value:'",
                "services.yaml:10:5 payment-service.stateful.backup: a stateful service needs a backup; fix: add"
                        + " 'backup: {schedule: \"0 2 * * *\", retention: 30d}' under stateful",
                "services.yaml:11:5 payment-service.colour: unknown field 'colour'; fix: remove it; the fields here are"
                        + " [image, cpu, memory, replicas, autoscaling, port, readiness_probe, liveness_probe, env, namespace,"
                        + " team, zone, limits, labels, ingress, callers, stateful, alerts]",
                "services.yaml: 4 errors, 0 warnings");
    }

    @Test
    void aMissingFileIsAUsageErrorNamingIt() {
        CommandRun run = run("deploy", "validate", dir.resolve("nope.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("nope.yaml: no such file").doesNotContain("Exception");
    }

    @Test
    void renderWritesOneFilePerObjectAndRefusesABrokenFile() throws Exception {
        Path out = dir.resolve("k8s");

        CommandRun ok = run("deploy", "render", services(3).toString(), "--out", out.toString());

        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains("wrote 9 objects for 1 service to " + out);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).contains(
                    "default.deployment.payment-service.yaml", "default.networkpolicy.default-deny.yaml",
                    "default.prometheusrule.payment-service.yaml");
        }

        Path out2 = dir.resolve("k8s-broken");
        CommandRun refused = run("deploy", "render", broken().toString(), "--out", out2.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("4 errors, 0 warnings; nothing written");
        assertThat(out2).doesNotExist();
    }

    @Test
    void planThenApplyThenPlanAgainShowsTheChangeAndItsCost() throws Exception {
        Path state = dir.resolve("state");
        Path audit = dir.resolve("audit.jsonl");

        CommandRun first = run("deploy", "plan", services(3).toString(), "--state", state.toString());
        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).contains("Plan against state directory " + state + ":",
                "  + Deployment/default/payment-service", "9 to create, 0 to update, 0 to delete, 0 unchanged.",
                "Monthly cost (USD, 730-hour month, requested resources):");
        assertThat(first.out().lines()).anyMatch(l -> l.matches("  default/payment-service\\s+0 -> 3\\s+0\\.00\\s+39\\.25\\s+\\+39\\.25"));

        CommandRun apply = run("deploy", "apply", services(3).toString(), "--state", state.toString(),
                "--audit-log", audit.toString());
        assertThat(apply.exitCode()).isZero();
        assertThat(apply.out()).contains("applied to state directory " + state
                + ": 9 to create, 0 to update, 0 to delete, 0 unchanged; monthly cost +39.25 USD", "audit entries 1 (pending) and 2 (applied) appended to " + audit);

        CommandRun unchanged = run("deploy", "plan", services(3).toString(), "--state", state.toString());
        assertThat(unchanged.out()).contains("  no changes", "0 to create, 0 to update, 0 to delete, 9 unchanged.");

        CommandRun scale = run("deploy", "plan", services(5).toString(), "--state", state.toString());
        assertThat(scale.out()).contains("  ~ Deployment/default/payment-service\n      spec.replicas: 3 -> 5\n"
                .replace("\n", System.lineSeparator()));
        // two more pods of 0.5 cores and 0.5 GiB: 730 x 2 x (0.5 x 0.031611 + 0.5 x 0.004237) = 26.17
        assertThat(scale.out().lines()).anyMatch(l -> l.matches("  default/payment-service\\s+3 -> 5\\s+39\\.25\\s+65\\.42\\s+\\+26\\.17"));
    }

    @Test
    void planAsJsonCarriesTheChangedFieldsAndTheCostToTheCent() throws Exception {
        Path state = dir.resolve("state");
        assertThat(run("deploy", "apply", services(3).toString(), "--state", state.toString(),
                "--audit-log", dir.resolve("audit.jsonl").toString()).exitCode()).isZero();

        CommandRun run = run("deploy", "plan", services(5).toString(), "--state", state.toString(), "--json");

        assertThat(run.exitCode()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        assertThat(json.at("/summary/update").asInt()).isEqualTo(1);
        assertThat(json.at("/changes/0/id").asText()).isEqualTo("Deployment/default/payment-service");
        assertThat(json.at("/changes/0/fields/0/path").asText()).isEqualTo("spec.replicas");
        assertThat(json.at("/changes/0/fields/0/before").asInt()).isEqualTo(3);
        assertThat(json.at("/changes/0/fields/0/after").asInt()).isEqualTo(5);
        assertThat(json.at("/cost/currency").asText()).isEqualTo("USD");
        assertThat(json.at("/cost/services/0/before").decimalValue()).isEqualByComparingTo("39.25");
        assertThat(json.at("/cost/services/0/after").decimalValue()).isEqualByComparingTo("65.42");
        assertThat(json.at("/cost/totalDelta").decimalValue()).isEqualByComparingTo("26.17");
    }

    @Test
    void dryRunChangesNothingButIsAudited() throws Exception {
        Path state = dir.resolve("state");
        Path audit = dir.resolve("audit.jsonl");

        CommandRun run = run("deploy", "apply", services(3).toString(), "--dry-run", "--state", state.toString(),
                "--audit-log", audit.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("dry run: nothing applied; recorded in " + audit);
        assertThat(state).doesNotExist();
        assertThat(Files.readString(audit)).contains("\"actor\":\"alice\"", "\"result\":\"dry-run\"", "\"create\":9");
    }

    @Test
    void aRefusedDefinitionIsAuditedAndExits1() throws Exception {
        Path audit = dir.resolve("audit.jsonl");

        CommandRun run = run("deploy", "apply", broken().toString(), "--state", dir.resolve("state").toString(),
                "--audit-log", audit.toString(), "--actor", "bob");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("services.yaml: 4 errors, 0 warnings; nothing applied");
        assertThat(Files.readString(audit)).contains("\"actor\":\"bob\"", "\"result\":\"refused: 4 schema or policy errors\"");
    }

    @Test
    void applyToAMockKubernetesApiAndPostTheDeclaredResourcesToAStubCollector() throws Exception {
        // MockKubernetesApi is a JDK HttpServer on loopback standing in for Kubernetes; StubCollector
        // stands in for the collector's /api/v1/cost/declarations, which is built separately.
        try (MockKubernetesApi kube = new MockKubernetesApi(); StubCollector collector = new StubCollector()) {
            CommandRun run = run("deploy", "apply", services(3).toString(), "--kube-api", kube.uri().toString(),
                    "--state", dir.resolve("state").toString(), "--audit-log", dir.resolve("audit.jsonl").toString(),
                    "--server", collector.uri().toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(kube.objects).containsKey("/apis/apps/v1/namespaces/default/deployments/payment-service");
            assertThat(kube.requests).allMatch(r -> !r.startsWith("PATCH") || r.endsWith("application/apply-patch+yaml"));
            assertThat(collector.received).singleElement().asString().matches(
                    "POST application/json \\{\"services\":\\[\\{\"service\":\"payment-service\",\"namespace\":\"default\","
                            + "\"team\":\"default\",\"replicas\":3,\"cpuCores\":0.5,\"memoryGiB\":0.5,\"storageGiB\":0,"
                            + "\"effectiveFrom\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"}]}");
            assertThat(run.out()).contains("declared resources of 1 service posted to " + collector.uri());
        }
    }

    @Test
    void aCollectorThatIsDownIsAWarningNotAFailedApply() throws Exception {
        CommandRun run = run("deploy", "apply", services(3).toString(), "--state", dir.resolve("state").toString(),
                "--audit-log", dir.resolve("audit.jsonl").toString(), "--server", "http://127.0.0.1:1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("warning: the collector did not take the declared resources");
    }

    @Test
    void anApiServerThatRefusesFailsTheApplyAndTheFailureIsAudited() throws Exception {
        try (MockKubernetesApi kube = new MockKubernetesApi()) {
            kube.refuse.add("/apis/apps/v1/namespaces/default/deployments/payment-service");
            Path audit = dir.resolve("audit.jsonl");

            CommandRun run = run("deploy", "apply", services(3).toString(), "--kube-api", kube.uri().toString(),
                    "--state", dir.resolve("state").toString(), "--audit-log", audit.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("PATCH Deployment/default/payment-service: the API server answered 422:"
                    + " admission webhook denied the request");
            assertThat(Files.readString(audit)).contains("\"result\":\"failed: PATCH Deployment/default/payment-service");
        }
    }

    @Test
    void auditVerifyPassesAnIntactLogAndNamesTheFirstEditedEntry() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        for (int replicas = 1; replicas <= 3; replicas++) {
            assertThat(run("deploy", "apply", services(replicas).toString(), "--state", dir.resolve("state").toString(),
                    "--audit-log", audit.toString()).exitCode()).isZero();
        }

        CommandRun intact = run("deploy", "audit", "verify", "--audit-log", audit.toString());
        assertThat(intact.exitCode()).isZero();
        assertThat(intact.out()).startsWith(audit + ": 6 entries, chain intact; last hash ").doesNotContain("unfinished");

        List<String> lines = new ArrayList<>(Files.readAllLines(audit, StandardCharsets.UTF_8));
        lines.set(2, lines.get(2).replace("\"actor\":\"alice\"", "\"actor\":\"mallory\""));
        Files.write(audit, lines, StandardCharsets.UTF_8);

        CommandRun tampered = run("deploy", "audit", "verify", "--audit-log", audit.toString());
        assertThat(tampered.exitCode()).isEqualTo(1);
        assertThat(tampered.err()).startsWith(audit + ":3: bad entry: the entry's content does not match its hash")
                .contains("the chain is intact up to entry 2; entry 3 on line 3");
    }

    @Test
    void anApplyIsAuditedAheadAsPendingThenCompletedWithItsOutcome() throws Exception {
        Path audit = dir.resolve("audit.jsonl");

        assertThat(run("deploy", "apply", services(3).toString(), "--state", dir.resolve("state").toString(),
                "--audit-log", audit.toString()).exitCode()).isZero();

        List<String> lines = Files.readAllLines(audit, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"seq\":1", "\"actor\":\"alice\"", "\"create\":9", "\"result\":\"pending\"");
        assertThat(lines.get(1)).contains("\"seq\":2", "\"completes\":1", "\"result\":\"applied\"");
    }

    @Test
    void anAuditLogThatCannotBeWrittenStopsTheApplyBeforeTheTargetIsTouched() throws Exception {
        Path audit = Files.createDirectories(dir.resolve("audit.jsonl")); // a directory: no entry can be appended
        Path state = dir.resolve("state");

        CommandRun run = run("deploy", "apply", services(3).toString(), "--state", state.toString(),
                "--audit-log", audit.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("plumb deploy apply: cannot record the audit entry (", "); nothing was applied")
                .doesNotContain("Exception", "\tat ");
        assertThat(run.out()).doesNotContain("applied to");
        if (Files.exists(state)) {
            try (Stream<Path> written = Files.walk(state)) {
                assertThat(written.filter(Files::isRegularFile)).isEmpty();
            }
        }
        assertThat(run("deploy", "plan", services(3).toString(), "--state", state.toString()).out())
                .contains("9 to create, 0 to update, 0 to delete, 0 unchanged.");
    }

    @Test
    void auditVerifyListsPendingEntriesThatNothingCompletes() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(audit, null);
        int interrupted = log.begin(Map.of("actor", "alice"), Instant.now());
        log.complete(log.begin(Map.of("actor", "alice"), Instant.now()), "applied", Instant.now());

        CommandRun run = run("deploy", "audit", "verify", "--audit-log", audit.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains(audit + ": 3 entries, chain intact",
                "unfinished applies (pending entries that nothing completes; check their targets): entries " + interrupted);
    }

    @Test
    void auditKeyFromTheEnvironmentSignsAndIsNeededToVerify() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        Map<String, String> keyed = Map.of("USER", "alice", "PLUMB_AUDIT_KEY", "k3y", "PLUMB_AUDIT_LOG", audit.toString(),
                "PLUMB_DEPLOY_STATE", dir.resolve("state").toString());

        assertThat(CommandRun.of(keyed, "deploy", "apply", services(3).toString()).exitCode()).isZero();

        assertThat(CommandRun.of(keyed, "deploy", "audit", "verify").exitCode()).isZero();
        CommandRun withoutKey = run("deploy", "audit", "verify", "--audit-log", audit.toString());
        assertThat(withoutKey.exitCode()).isEqualTo(1);
        assertThat(withoutKey.err()).contains("set PLUMB_AUDIT_KEY to check it");
    }

    @Test
    void aKubeApiThatIsNotAUrlIsRefusedNamingTheFlag() throws Exception {
        CommandRun run = run("deploy", "plan", services(3).toString(), "--kube-api", "k8s.local");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--kube-api k8s.local is not an http(s) URL").doesNotContain("Exception");
    }

    @Test
    void verifyWithoutALogSaysWhereItLooked() {
        CommandRun run = run("deploy", "audit", "verify", "--audit-log", dir.resolve("none.jsonl").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no audit log at " + dir.resolve("none.jsonl"));
    }

    @Test
    void everyDeployCommandHasHelpWithItsFlagsAndExamples() {
        assertThat(run("deploy", "apply", "--help").outText()).contains("--dry-run", "--audit-log=PATH", "--state=DIR",
                "--kube-api=URL", "--server=URL", "--actor=NAME", "--pricing=FILE", "Default: plumb-audit.jsonl",
                "Examples:", "./plumb deploy apply services.yaml --dry-run", "Exit codes:");
        assertThat(run("deploy", "plan", "--help").outText()).contains("--state=DIR", "--kube-api=URL", "Examples:");
        assertThat(run("deploy", "validate", "--help").outText()).contains("FILE:LINE:COL", "Exit codes:");
        assertThat(run("deploy", "render", "--help").outText()).contains("--out=DIR", "Examples:");
        assertThat(run("deploy", "audit", "verify", "--help").outText()).contains("--audit-log=PATH", "PLUMB_AUDIT_KEY");
    }
}
