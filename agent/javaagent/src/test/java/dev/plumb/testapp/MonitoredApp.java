package dev.plumb.testapp;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.MDC;

/** The app the agent ITs run: calls monitored methods and prints what the test checks. */
public final class MonitoredApp {

    private MonitoredApp() {
    }

    public static void main(String[] args) throws Exception {
        Orders orders = new Orders();
        System.out.println("RESULT " + orders.place("o-1"));
        System.out.println("MDC_AFTER trace_id=" + MDC.get("trace_id"));

        StackTraceElement[] expected = null;
        try {
            orders.fail("o-2");
        } catch (IllegalStateException e) {
            expected = Orders.lastThrown.getStackTrace();
            System.out.println("SAME_EXCEPTION " + (e == Orders.lastThrown) + " " + e.getMessage() + " "
                    + Arrays.equals(e.getStackTrace(), expected) + " top=" + e.getStackTrace()[0].getMethodName());
        }
        try {
            orders.validate("");
        } catch (IllegalArgumentException expectedByContract) {
            System.out.println("EXPECTED_THROWN " + expectedByContract.getMessage());
        }
        System.out.println("ASYNC " + orders.slowAsync().join());

        Payments payments = new Payments();
        int failures = 0;
        for (int i = 0; i < 200; i++) {
            try {
                payments.charge(i);
            } catch (IllegalStateException e) {
                failures++;
            }
        }
        System.out.println("CHARGED failures=" + failures);
        System.out.println("READY");
        // Stay up for the scrapes until the test closes stdin.
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        System.out.println("BYE");
    }
}
