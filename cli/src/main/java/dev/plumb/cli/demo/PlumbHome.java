package dev.plumb.cli.demo;

import java.nio.file.Path;

/**
 * The repository checkout plumb runs from ({@code -Dplumb.home}, set by {@code ./plumb}), where
 * the build leaves the agent and demo jars.
 */
record PlumbHome(Path root) {

    static PlumbHome current() {
        String home = System.getProperty("plumb.home", System.getenv("PLUMB_HOME"));
        return new PlumbHome(Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize());
    }

    Path agentJar() {
        return root.resolve("agent/javaagent/target/plumb-agent.jar");
    }

    Path demoJar() {
        return root.resolve("demo/target/plumb-demo.jar");
    }
}
