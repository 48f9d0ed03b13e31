package dev.plumb.analytics.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.analytics.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subscriptions, their status and events are kept in the store's database across a reopen. */
class AlertStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path data;

    private static AlertSubscription checkoutErrors() {
        return new AlertSubscription("a1", "checkout errors", "checkout", "error_rate", ">", "critical", 0.05,
                Duration.ofMinutes(5), Duration.ofMinutes(2), null,
                List.of(new AlertChannel("slack", "https://hooks.example/1"), new AlertChannel("webhook", "http://h/2")), T0);
    }

    @Test
    void aSubscriptionItsStatusAndItsEventsSurviveAReopen() {
        try (Store store = Store.open(data); AlertStore alerts = AlertStore.on(store)) {
            alerts.add(checkoutErrors());
            assertThat(alerts.status("a1")).isEqualTo(AlertStatus.initial());
            alerts.update("a1", new AlertStatus("pending", T0.plusSeconds(15), null, 0.2),
                    new AlertEvent("a1", T0.plusSeconds(15), "pending", 0.2, "error_rate 0.2 > 0.05"));
            alerts.update("a1", new AlertStatus("firing", T0.plusSeconds(135), T0.plusSeconds(135), 0.3),
                    new AlertEvent("a1", T0.plusSeconds(135), "firing", 0.3, "FIRING checkout errors"));
        }
        try (Store store = Store.open(data); AlertStore alerts = AlertStore.on(store)) {
            assertThat(alerts.list()).containsExactly(checkoutErrors());
            assertThat(alerts.status("a1")).isEqualTo(
                    new AlertStatus("firing", T0.plusSeconds(135), T0.plusSeconds(135), 0.3));
            assertThat(alerts.events("a1", 10)).extracting(AlertEvent::state).containsExactly("firing", "pending");
            assertThat(alerts.events("a1", 1)).hasSize(1);
        }
    }

    @Test
    void deletingRemovesTheChannelsAndEventsToo() {
        try (Store store = Store.open(data); AlertStore alerts = AlertStore.on(store)) {
            alerts.add(checkoutErrors());
            alerts.update("a1", AlertStatus.initial(), new AlertEvent("a1", T0, "inactive", null, "x"));
            assertThat(alerts.delete("a1")).isTrue();
            assertThat(alerts.delete("a1")).isFalse();
            assertThat(alerts.find("a1")).isEmpty();
            assertThat(alerts.events("a1", 10)).isEmpty();
            alerts.add(checkoutErrors());
            assertThat(alerts.find("a1").orElseThrow().channels()).hasSize(2);
        }
    }
}
