package dev.plumb.cli.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Renders log records as an aligned text table, one line per record, newest first as the server sent them. */
final class LogTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final String[] HEADER = {"TIME (UTC)", "SERVICE", "SEVERITY", "TRACE ID", "BODY"};

    private LogTable() {
    }

    static String render(JsonNode records) {
        if (records == null || !records.isArray() || records.isEmpty()) {
            return "No log records match." + System.lineSeparator();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode record : records) {
            rows.add(new String[] {
                    time(record.path("ts")),
                    text(record, "service"),
                    text(record, "severity"),
                    text(record, "traceId"),
                    text(record, "body").replaceAll("\\s*\\R\\s*", " ")});
        }
        int[] widths = new int[HEADER.length - 1];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                table.append(String.format("%-" + widths[i] + "s  ", row[i]));
            }
            table.append(row[HEADER.length - 1]).append(System.lineSeparator());
        }
        int count = rows.size() - 1;
        table.append(count).append(count == 1 ? " record" : " records").append(System.lineSeparator());
        return table.toString();
    }

    /** Epoch milliseconds or RFC 3339 text, shown the same way; anything else as the server sent it. */
    static String time(JsonNode ts) {
        if (ts.isNumber()) {
            return TIME.format(Instant.ofEpochMilli(ts.asLong()));
        }
        try {
            return TIME.format(Instant.parse(ts.asText()));
        } catch (DateTimeParseException e) {
            return ts.asText();
        }
    }

    private static String text(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? "-" : value.asText();
    }
}
