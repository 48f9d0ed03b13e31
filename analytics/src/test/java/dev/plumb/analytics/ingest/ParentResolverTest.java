package dev.plumb.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the writer remembers of earlier transactions, and for how long. */
class ParentResolverTest {
    private static final String TRACE = "0123456789abcdef0123456789abcdef";

    private static SpanRow span(String spanId, String parentId, String service, SpanKind kind, Map<String, Object> attributes) {
        return new SpanRow(TRACE, spanId, parentId, service, "op", kind, 1_000, 2_000, StatusCode.UNSET, "",
                attributes, Map.of("service.name", service), "test", List.of(), List.of());
    }

    private static String id(long n) {
        return String.format("%016x", n);
    }

    private static ParentResolver.Decisions commit(ParentResolver resolver, List<SpanRow> spans) {
        ParentResolver.Decisions d = resolver.decide(spans, PreparedSpans.of(spans));
        resolver.committed(spans, d);
        return d;
    }

    /** {@code n} spans of service "filler" with ids from {@code from}. */
    private static void fill(ParentResolver resolver, long from, int n) {
        for (long start = from; start < from + n; start += 10_000) {
            List<SpanRow> batch = new ArrayList<>();
            for (long i = start; i < Math.min(start + 10_000, from + n); i++) {
                batch.add(span(id(i), "", "filler", SpanKind.INTERNAL, Map.of()));
            }
            commit(resolver, batch);
        }
    }

    @Test
    void findsTheParentInTheSameTransactionInAnyOrder() {
        ParentResolver resolver = new ParentResolver();
        ParentResolver.Decisions d = commit(resolver, List.of(
                span(id(2), id(1), "orders", SpanKind.SERVER, Map.of()),
                span(id(1), "", "frontend", SpanKind.CLIENT, Map.of())));
        assertThat(d.parentServices()).containsExactly("frontend", null);
        assertThat(d.entries()).containsExactly(true, false);
        assertThat(d.lateParents()).isEmpty();
    }

    @Test
    void remembersAtLeastTheLastRecentSpansAndForgetsOlderOnes() {
        ParentResolver resolver = new ParentResolver();
        commit(resolver, List.of(span(id(1), "", "frontend", SpanKind.CLIENT, Map.of())));
        fill(resolver, 1_000_000, ParentResolver.RECENT - 1);

        ParentResolver.Decisions found = resolver.decide(List.of(span(id(2), id(1), "orders", SpanKind.SERVER, Map.of())),
                PreparedSpans.of(List.of(span(id(2), id(1), "orders", SpanKind.SERVER, Map.of()))));
        assertThat(found.parentServices()).as("the parent is among the last RECENT spans").containsExactly("frontend");

        fill(resolver, 2_000_000, 2 * ParentResolver.RECENT);
        List<SpanRow> child = List.of(span(id(3), id(1), "orders", SpanKind.SERVER, Map.of()));
        assertThat(resolver.decide(child, PreparedSpans.of(child)).parentServices())
                .as("2 x RECENT spans later the parent is forgotten: the memory is bounded").containsExactly((String) null);
    }

    @Test
    void aWaitingMonitorSpanMeetsItsParentAndStopsBeingAnEntry() {
        ParentResolver resolver = new ParentResolver();
        ParentResolver.Decisions first = commit(resolver,
                List.of(span(id(2), id(1), "api", SpanKind.INTERNAL, Map.of("code.function.name", "app.Handler.run"))));
        assertThat(first.entries()).as("parent unknown: counted until it comes").containsExactly((Boolean) null);
        fill(resolver, 1_000_000, ParentResolver.RECENT + 5);

        ParentResolver.Decisions second = commit(resolver, List.of(span(id(1), "", "api", SpanKind.SERVER, Map.of())));
        assertThat(second.lateParents()).singleElement().satisfies(late -> {
            assertThat(late.child().spanId()).isEqualTo(id(2));
            assertThat(late.parentService()).isEqualTo("api");
        });
        assertThat(second.notEntries()).extracting(ParentResolver.Waiting::spanId).containsExactly(id(2));

        ParentResolver.Decisions again = commit(resolver, List.of(span(id(1), "", "api", SpanKind.SERVER, Map.of())));
        assertThat(again.lateParents()).as("a child is met by its parent once").isEmpty();
    }
}
