package dev.plumb.collector.otlp;

import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.nio.file.Path;

/**
 * A collector in its own JVM for the crash test: prints its ports on one line, then runs until
 * the test kills it. No shutdown hook, so a SIGKILL leaves the data dir as a crash would.
 */
public final class ForkedCollectorMain {
    private ForkedCollectorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Collector collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(Path.of(args[0])));
        System.out.println("PORTS " + collector.otlpGrpcPort() + " " + collector.otlpHttpPort() + " "
                + collector.httpPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
