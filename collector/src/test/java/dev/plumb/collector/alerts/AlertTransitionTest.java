package dev.plumb.collector.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.analytics.alerts.AlertStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The alert state machine, evaluation by evaluation, with for = 1m and repeat = 4h. */
class AlertTransitionTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration FOR = Duration.ofMinutes(1);
    private static final Duration REPEAT = Duration.ofHours(4);

    private static AlertTransition at(AlertStatus s, boolean holds, long seconds) {
        return AlertTransition.next(s, holds, 1.0, T0.plusSeconds(seconds), FOR, REPEAT);
    }

    @Test
    void aConditionHeldForItsDurationFiresOnceThenRepeatsAfterTheRepeatIntervalThenResolves() {
        AlertTransition pending = at(AlertStatus.initial(), true, 0);
        assertThat(pending.status().state()).isEqualTo("pending");
        assertThat(pending.notification()).isNull();

        AlertTransition stillPending = at(pending.status(), true, 59);
        assertThat(stillPending.status().state()).isEqualTo("pending");
        assertThat(stillPending.event()).isNull();

        AlertTransition firing = at(stillPending.status(), true, 60);
        assertThat(firing.status().state()).isEqualTo("firing");
        assertThat(firing.notification()).isEqualTo(Notification.Kind.FIRING);

        AlertTransition quiet = at(firing.status(), true, 60 + 3600);
        assertThat(quiet.notification()).as("no page an hour later").isNull();

        AlertTransition repeat = at(quiet.status(), true, 60 + 4 * 3600);
        assertThat(repeat.notification()).isEqualTo(Notification.Kind.REPEAT);
        assertThat(repeat.status().since()).as("still firing since the start").isEqualTo(T0.plusSeconds(60));

        AlertTransition resolved = at(repeat.status(), false, 60 + 4 * 3600 + 15);
        assertThat(resolved.status().state()).isEqualTo("resolved");
        assertThat(resolved.notification()).isEqualTo(Notification.Kind.RESOLVED);

        assertThat(at(resolved.status(), false, 60 + 4 * 3600 + 30).event()).isNull();
        assertThat(at(resolved.status(), true, 60 + 4 * 3600 + 30).status().state()).isEqualTo("pending");
    }

    @Test
    void aBlipShorterThanForNeverNotifies() {
        AlertTransition pending = at(AlertStatus.initial(), true, 0);
        AlertTransition back = at(pending.status(), false, 30);
        assertThat(back.status().state()).isEqualTo("inactive");
        assertThat(back.notification()).isNull();
        assertThat(at(back.status(), true, 45).status().since()).as("the for clock restarts").isEqualTo(T0.plusSeconds(45));
    }
}
