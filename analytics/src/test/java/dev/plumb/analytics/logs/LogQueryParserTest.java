package dev.plumb.analytics.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plumb.analytics.logs.LogQuery.And;
import dev.plumb.analytics.logs.LogQuery.Comparison;
import dev.plumb.analytics.logs.LogQuery.DurationUnit;
import dev.plumb.analytics.logs.LogQuery.FieldMatch;
import dev.plumb.analytics.logs.LogQuery.MatchKind;
import dev.plumb.analytics.logs.LogQuery.Not;
import dev.plumb.analytics.logs.LogQuery.Operator;
import dev.plumb.analytics.logs.LogQuery.Or;
import dev.plumb.analytics.logs.LogQuery.Text;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogQueryParserTest {

    static Stream<Arguments> constructs() {
        FieldMatch payment = new FieldMatch("service", "payment", MatchKind.EXACT, 0);
        return Stream.of(
                Arguments.of("", new LogQuery.All()),
                Arguments.of("   ", new LogQuery.All()),
                Arguments.of("service:payment", payment),
                Arguments.of("  service:payment  ", new FieldMatch("service", "payment", MatchKind.EXACT, 2)),
                Arguments.of("body:\"card declined\"", new FieldMatch("body", "card declined", MatchKind.PHRASE, 0)),
                Arguments.of("msg:\"say \\\"hi\\\"\"", new FieldMatch("msg", "say \"hi\"", MatchKind.PHRASE, 0)),
                Arguments.of("service:pay*", new FieldMatch("service", "pay", MatchKind.PREFIX, 0)),
                Arguments.of("exception.type:*", new FieldMatch("exception.type", "", MatchKind.EXISTS, 0)),
                Arguments.of("url:http://x/y", new FieldMatch("url", "http://x/y", MatchKind.EXACT, 0)),
                Arguments.of("timeout", new Text("timeout", 0)),
                Arguments.of("\"connection refused\"", new Text("connection refused", 0)),
                Arguments.of("\"and\"", new Text("and", 0)),
                Arguments.of("duration>500ms", new Comparison("duration", Operator.GT, 500, DurationUnit.MS, 0)),
                Arguments.of("duration >= 1.5s", new Comparison("duration", Operator.GE, 1.5, DurationUnit.S, 0)),
                Arguments.of("duration<250us", new Comparison("duration", Operator.LT, 250, DurationUnit.US, 0)),
                Arguments.of("duration<=10ns", new Comparison("duration", Operator.LE, 10, DurationUnit.NS, 0)),
                Arguments.of("duration>2m", new Comparison("duration", Operator.GT, 2, DurationUnit.M, 0)),
                Arguments.of("http.status_code>=500", new Comparison("http.status_code", Operator.GE, 500, null, 0)),
                Arguments.of("retries=3", new Comparison("retries", Operator.EQ, 3, null, 0)),
                Arguments.of("temp>-4.5", new Comparison("temp", Operator.GT, -4.5, null, 0)),
                Arguments.of("service:payment AND status:error",
                        new And(List.of(payment, new FieldMatch("status", "error", MatchKind.EXACT, 20)))),
                Arguments.of("service:payment status:error",
                        new And(List.of(payment, new FieldMatch("status", "error", MatchKind.EXACT, 16)))),
                Arguments.of("service:payment and timeout",
                        new And(List.of(payment, new Text("timeout", 20)))),
                Arguments.of("a OR b", new Or(List.of(new Text("a", 0), new Text("b", 5)))),
                Arguments.of("a or b c", new Or(List.of(new Text("a", 0),
                        new And(List.of(new Text("b", 5), new Text("c", 7)))))),
                Arguments.of("NOT a", new Not(new Text("a", 4))),
                Arguments.of("not not a", new Not(new Not(new Text("a", 8)))),
                Arguments.of("NOT a b", new And(List.of(new Not(new Text("a", 4)), new Text("b", 6)))),
                Arguments.of("(a OR b) AND c", new And(List.of(new Or(List.of(new Text("a", 1), new Text("b", 6))),
                        new Text("c", 13)))),
                Arguments.of("NOT (a OR b)", new Not(new Or(List.of(new Text("a", 5), new Text("b", 10))))),
                Arguments.of("((a))", new Text("a", 2)),
                Arguments.of("order:1", new FieldMatch("order", "1", MatchKind.EXACT, 0)),
                Arguments.of("android", new Text("android", 0)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("constructs")
    void parsesEveryConstructOfTheContract(String query, LogQuery expected) {
        assertThat(LogQueryParser.parse(query)).isEqualTo(expected);
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("service:paymen)", 14, "unexpected ')' at column 14: remove it or add a matching '('"),
                Arguments.of(")", 0, "unexpected ')' at column 0: remove it or add a matching '('"),
                Arguments.of("(a OR b", 0, "missing ')' for the '(' at column 0: add ')' to close it or remove the '('"),
                Arguments.of("a (b", 2, "missing ')' for the '(' at column 2"),
                Arguments.of("()", 0, "empty parentheses at column 0: put a term inside them or remove them"),
                Arguments.of("service:\"pay", 8, "unterminated quote starting at column 8: add a closing '\"'"),
                Arguments.of("\"abc", 0, "unterminated quote starting at column 0"),
                Arguments.of("service:", 8, "expected a value after 'service:' at column 8"),
                Arguments.of("service: payment", 8, "expected a value after 'service:' at column 8"),
                Arguments.of("duration>abc", 9, "expected a number after 'duration>' at column 9"),
                Arguments.of("duration>", 9, "expected a number after 'duration>' at column 9"),
                Arguments.of("duration>5xs", 10, "unknown unit 'xs' at column 10: use one of ns, us, ms, s, m, h"),
                Arguments.of("duration>>5", 9, "unexpected '>' at column 9 after '>'"),
                Arguments.of("duration>1e999", 9, "number out of range at column 9"),
                Arguments.of("AND a", 0, "AND at column 0 needs a term before it: put a term before AND or remove it"),
                Arguments.of("a AND", 2, "AND at column 2 needs a term after it: add a term after AND or remove it"),
                Arguments.of("a OR", 2, "OR at column 2 needs a term after it"),
                Arguments.of("a OR OR b", 2, "OR at column 2 needs a term after it"),
                Arguments.of("OR b", 0, "OR at column 0 needs a term before it"),
                Arguments.of("NOT", 0, "NOT at column 0 needs a term after it"),
                Arguments.of("a AND NOT", 6, "NOT at column 6 needs a term after it"),
                Arguments.of("(a AND)", 3, "AND at column 3 needs a term after it"),
                Arguments.of(":x", 0, "unexpected ':' at column 0: put a field name before it"),
                Arguments.of("a >", 3, "expected a number after 'a>' at column 3"),
                Arguments.of("<5", 0, "unexpected '<' at column 0"),
                Arguments.of("name:a*b*", 6, "only a trailing '*' is supported, at column 6"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("mistakes")
    void pointsAtTheColumnOfEachMistakeWithAFix(String query, int column, String message) {
        LogQueryException e = catchThrowableOfType(LogQueryException.class, () -> LogQueryParser.parse(query));

        assertThat(e).as("no error for %s", query).isNotNull();
        assertThat(e.position()).isEqualTo(column);
        assertThat(e.getMessage()).startsWith(message);
        assertThat(e.hint()).isNotBlank();
        assertThat(e.getMessage()).endsWith(e.hint());
    }
}
