package dev.plumb.collector.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The repeat interval of firing alerts comes from PLUMB_ALERT_REPEAT_INTERVAL, 4h without it. */
class AlertSettingsTest {
    private static final Duration EVAL = Duration.ofSeconds(15);

    @Test
    void repeatsEveryFourHoursUnlessTheVariableSaysOtherwise() {
        assertThat(AlertSettings.fromEnvironment(Map.of(), EVAL).repeatInterval()).isEqualTo(Duration.ofHours(4));
        assertThat(AlertSettings.fromEnvironment(Map.of("PLUMB_ALERT_REPEAT_INTERVAL", "30m"), EVAL).repeatInterval())
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aBadRepeatIntervalNamesTheVariable() {
        assertThatThrownBy(() -> AlertSettings.fromEnvironment(Map.of("PLUMB_ALERT_REPEAT_INTERVAL", "often"), EVAL))
                .hasMessageStartingWith("PLUMB_ALERT_REPEAT_INTERVAL: 'often' is not a duration");
        assertThatThrownBy(() -> AlertSettings.fromEnvironment(Map.of("PLUMB_ALERT_REPEAT_INTERVAL", "5s"), EVAL))
                .hasMessage("PLUMB_ALERT_REPEAT_INTERVAL 5s is shorter than the evaluation interval 15s");
    }
}
