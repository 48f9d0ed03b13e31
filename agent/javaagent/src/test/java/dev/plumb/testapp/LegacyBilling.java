package dev.plumb.testapp;

/** Code without @Monitor, monitored through PLUMB_MONITOR_INCLUDE (and one method excluded). */
public class LegacyBilling {

    public int charge(int cents) {
        return cents * 100;
    }

    public String audit() {
        return "audited";
    }
}
