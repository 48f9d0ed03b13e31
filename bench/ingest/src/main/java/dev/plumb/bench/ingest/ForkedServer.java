package dev.plumb.bench.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in its own JVM, so that its resident memory is its own: started with its output in
 * a log file, ready once its health URL answers 200, stopped with SIGTERM (then SIGKILL after
 * 30 s). Memory comes from {@code /proc/<pid>/status} (Linux).
 */
final class ForkedServer implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ForkedServer(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ForkedServer start(String name, List<String> command, Path log, URI health, Duration timeout) {
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
        ForkedServer server = new ForkedServer(name, process, log);
        // A bench stopped with Ctrl-C must not leave a server holding memory and ports.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-" + name));
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " during start; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.close();
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
            sleep(Duration.ofMillis(200));
        }
        server.close();
        throw new IllegalStateException(name + " did not answer " + health + " within " + timeout + "; see " + log);
    }

    /** A port nothing listens on right now (the kernel's pick for port 0). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** Resident memory now ({@code VmRSS}), in bytes. */
    long residentBytes() {
        return status("VmRSS:");
    }

    /** The peak resident memory since start ({@code VmHWM}), in bytes. */
    long peakResidentBytes() {
        return status("VmHWM:");
    }

    /** The CPU time the server used since start, all its threads (user and system). */
    Duration cpuTime() {
        return process.info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("the OS does not tell the CPU time of " + name));
    }

    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    // "VmHWM:    123456 kB"
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the memory of " + name + " (pid " + process.pid() + ")", e);
        }
        throw new IllegalStateException("/proc/" + process.pid() + "/status has no " + field);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
