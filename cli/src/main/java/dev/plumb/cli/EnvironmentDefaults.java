package dev.plumb.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives a flag the value of its {@code PLUMB_*} variable when the variable is set, so the order is
 * flag, then variable, then the contract default in the option's annotation; {@code --help} shows
 * the value that would apply.
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {

    /** The flags that a variable can set, and the variable. */
    public static final Map<String, String> VARIABLES = Map.of(
            "--host", "PLUMB_HOST",
            "--otlp-grpc-port", "PLUMB_OTLP_GRPC_PORT",
            "--otlp-http-port", "PLUMB_OTLP_HTTP_PORT",
            "--http-port", "PLUMB_HTTP_PORT",
            "--data-dir", "PLUMB_DATA_DIR",
            "--pricing", "PLUMB_PRICING",
            "--config", "PLUMB_CONFIG",
            "--alert-eval-interval", "PLUMB_ALERT_EVAL_INTERVAL",
            "--server", "PLUMB_SERVER");

    private final Map<String, String> env;

    public EnvironmentDefaults(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        String variable = VARIABLES.get(option.longestName());
        String value = variable == null ? null : env.get(variable);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
