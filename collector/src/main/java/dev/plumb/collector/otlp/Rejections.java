package dev.plumb.collector.otlp;

/** Counts refused records of one request and keeps the first reason, which the sender sees. */
final class Rejections {
    private long count;
    private String first;

    void add(String reason) {
        if (count++ == 0) {
            first = reason;
        }
    }

    long count() {
        return count;
    }

    String message() {
        if (count == 0) {
            return "";
        }
        return count == 1 ? first : first + " (and " + (count - 1) + " more refused records)";
    }
}
