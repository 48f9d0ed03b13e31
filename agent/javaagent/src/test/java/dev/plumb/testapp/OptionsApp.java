package dev.plumb.testapp;

import dev.plumb.Monitor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Exercises the options of @Monitor, inheritance and the include/exclude settings. */
public final class OptionsApp {

    private OptionsApp() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options();
        for (int i = 0; i < 5; i++) {
            options.metricsOnly(i);
        }
        try {
            options.quietFailure();
        } catch (IllegalStateException expected) {
            System.out.println("QUIET_THROWN " + expected.getMessage());
        }
        System.out.println("PRICED " + options.priced(7));
        options.maybeSlow(0);
        options.maybeSlow(80);
        for (RuntimeException error : new RuntimeException[] {new IllegalStateException(), new IllegalArgumentException(),
                new UnsupportedOperationException(), new ArithmeticException(), new ArithmeticException()}) {
            try {
                options.failWith(error);
            } catch (RuntimeException expected) {
                // Counted by the agent.
            }
        }
        options.excludedDespiteAnnotation();
        System.out.println("GREETED " + new PoliteGreeter().greet("ada") + " " + new PlainShouter().shout("hey")
                + " " + new ConcreteReport().render());
        LegacyBilling billing = new LegacyBilling();
        System.out.println("BILLED " + billing.charge(3) + " " + billing.audit());
        System.out.println("READY");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    /** One method per option. */
    public static class Options {
        @Monitor(span = false)
        public int metricsOnly(int i) {
            return i * 2;
        }

        @Monitor(log = false)
        public void quietFailure() {
            throw new IllegalStateException("not logged");
        }

        @Monitor(recordReturn = true)
        public String priced(int units) {
            return "price-" + units;
        }

        @Monitor(minDurationMicros = 50_000)
        public void maybeSlow(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }

        @Monitor
        public void failWith(RuntimeException error) {
            throw error;
        }

        @Monitor
        public void excludedDespiteAnnotation() {
        }
    }

    /** Its implementations are monitored too. */
    public interface Greeter {
        @Monitor(inherited = true)
        String greet(String name);
    }

    public static class PoliteGreeter implements Greeter {
        @Override
        public String greet(String name) {
            return "hello " + name;
        }
    }

    /** Annotated without {@code inherited}: implementations are not monitored. */
    public interface Shouter {
        @Monitor
        String shout(String text);
    }

    public static class PlainShouter implements Shouter {
        @Override
        public String shout(String text) {
            return text.toUpperCase();
        }
    }

    /** Class-level inheritance: every public method of every subclass. */
    @Monitor(inherited = true)
    public abstract static class Report {
        public abstract String render();
    }

    public static class ConcreteReport extends Report {
        @Override
        public String render() {
            return "report";
        }
    }
}
