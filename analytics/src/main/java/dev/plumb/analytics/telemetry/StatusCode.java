package dev.plumb.analytics.telemetry;

/** A span's status code, numbered as in OTLP's {@code Status.StatusCode}. */
public enum StatusCode {
    UNSET, OK, ERROR;

    /** The code for an OTLP enum number; unknown numbers map to {@link #UNSET}. */
    public static StatusCode ofOtlp(int number) {
        StatusCode[] all = values();
        return number >= 0 && number < all.length ? all[number] : UNSET;
    }
}
