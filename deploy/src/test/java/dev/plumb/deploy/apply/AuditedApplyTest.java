package dev.plumb.deploy.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.analytics.cost.Pricing;
import dev.plumb.deploy.audit.AuditLog;
import dev.plumb.deploy.audit.AuditVerification;
import dev.plumb.deploy.definition.ServicesFileParser;
import dev.plumb.deploy.plan.MonthlyCost;
import dev.plumb.deploy.plan.Plan;
import dev.plumb.deploy.plan.Planner;
import dev.plumb.deploy.render.KubeObject;
import dev.plumb.deploy.render.KubernetesRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Apply to a state directory with the audit entry written ahead of the change. */
class AuditedApplyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private static final Map<String, Object> ENTRY = Map.of("actor", "alice");

    @TempDir
    Path dir;

    private final List<KubeObject> desired = KubernetesRenderer.render(ServicesFileParser.parse("""
            services:
              payment-service: {image: pay:1.0.0, readiness_probe: {path: /health}}
            """, "services.yaml").file());
    private final Plan plan = Planner.plan(desired, List.of(), false, new MonthlyCost(Pricing.defaults(), CLOCK.instant()));

    private static List<String> lines(AuditLog log) {
        try {
            return Files.readAllLines(log.file(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code state}, running {@code before} ahead of each apply: an assertion, or a refusal. */
    private static DeployTarget watched(StateDirectory state, Runnable before) {
        return new DeployTarget() {
            @Override
            public List<KubeObject> current(List<KubeObject> d) {
                return state.current(d);
            }

            @Override
            public boolean live() {
                return false;
            }

            @Override
            public void apply(Plan p, List<KubeObject> d) {
                before.run();
                state.apply(p, d);
            }

            @Override
            public String describe() {
                return state.describe();
            }
        };
    }

    @Test
    void recordsThePendingEntryBeforeTheChangeAndItsOutcomeAfter() throws Exception {
        AuditLog log = new AuditLog(dir.resolve("audit.jsonl"), null);
        StateDirectory state = new StateDirectory(dir.resolve("state"));
        DeployTarget watched = watched(state, () -> assertThat(lines(log)).singleElement().asString()
                .contains("\"actor\":\"alice\",\"result\":\"pending\""));

        AuditedApply.Outcome outcome = AuditedApply.apply(watched, plan, desired, log, ENTRY, CLOCK);

        assertThat(outcome).isEqualTo(new AuditedApply.Outcome(1, 2, null, null));
        assertThat(state.current(desired)).hasSize(desired.size());
        assertThat(lines(log).get(1)).startsWith("{\"seq\":2,\"ts\":\"2026-11-26T12:00:00Z\",\"completes\":1,\"result\":\"applied\",");
        AuditVerification v = log.verify();
        assertThat(v.ok()).isTrue();
        assertThat(v.unfinished()).isEmpty();
    }

    @Test
    void aLogThatCannotBeWrittenStopsTheApplyBeforeTheTargetIsTouched() throws Exception {
        Files.writeString(dir.resolve("not-a-directory"), "");
        AuditLog unwritable = new AuditLog(dir.resolve("not-a-directory").resolve("audit.jsonl"), null);
        StateDirectory state = new StateDirectory(dir.resolve("state"));

        assertThatThrownBy(() -> AuditedApply.apply(state, plan, desired, unwritable, ENTRY, CLOCK))
                .isInstanceOf(UncheckedIOException.class).hasMessageStartingWith("cannot append to the audit log");
        assertThat(dir.resolve("state")).doesNotExist();

        AuditLog cut = new AuditLog(dir.resolve("audit.jsonl"), null);
        cut.append(Map.of("result", "applied"), CLOCK.instant());
        Files.writeString(cut.file(), "");
        assertThatThrownBy(() -> AuditedApply.apply(state, plan, desired, cut, ENTRY, CLOCK))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cut from the end");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void aFailedApplyIsTheOutcomeOfItsPendingEntry() throws Exception {
        AuditLog log = new AuditLog(dir.resolve("audit.jsonl"), null);
        DeployTarget refusing = watched(new StateDirectory(dir.resolve("state")), () -> {
            throw new IllegalStateException("PATCH Deployment/default/payment-service: 422 Unprocessable Entity");
        });

        AuditedApply.Outcome outcome = AuditedApply.apply(refusing, plan, desired, log, ENTRY, CLOCK);

        assertThat(outcome.applied()).isFalse();
        assertThat(outcome.outcomeSeq()).isEqualTo(2);
        assertThat(lines(log).get(1)).contains("\"completes\":1,\"result\":\"failed: PATCH Deployment/default/payment-service: 422");
    }

    @Test
    void verifyNamesPendingEntriesWithoutAnOutcomeAndRefusesAnOutcomeOfNothingPending() throws Exception {
        AuditLog log = new AuditLog(dir.resolve("audit.jsonl"), null);
        log.begin(ENTRY, CLOCK.instant());
        log.complete(1, "applied", CLOCK.instant());
        log.begin(ENTRY, CLOCK.instant());

        assertThat(log.verify().ok()).isTrue();
        assertThat(log.verify().unfinished()).containsExactly(3);

        log.complete(1, "applied", CLOCK.instant());
        AuditVerification v = log.verify();
        assertThat(v.badLine()).isEqualTo(4);
        assertThat(v.problem()).isEqualTo("completes 1, which is not an earlier pending entry without an outcome");
    }
}
