package dev.plumb.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    @Test
    void httpClientPropagationIsOnUnlessTurnedOff() {
        assertThat(AgentConfig.from(Map.of(), key -> null).httpClientPropagation()).isTrue();
        assertThat(AgentConfig.from(Map.of("PLUMB_HTTP_CLIENT_PROPAGATION", "false"), key -> null)
                .httpClientPropagation()).isFalse();
        // The system property (-Dplumb.http.client.propagation) wins over the environment.
        assertThat(AgentConfig.from(Map.of("PLUMB_HTTP_CLIENT_PROPAGATION", "true"),
                key -> key.equals("PLUMB_HTTP_CLIENT_PROPAGATION") ? "FALSE" : null).httpClientPropagation()).isFalse();
    }

    @Test
    void rejectsAPropagationSwitchThatIsNotABooleanNamingTheSetting() {
        assertThatThrownBy(() -> AgentConfig.from(Map.of("PLUMB_HTTP_CLIENT_PROPAGATION", "off"), key -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PLUMB_HTTP_CLIENT_PROPAGATION=off must be true or false");
    }
}
