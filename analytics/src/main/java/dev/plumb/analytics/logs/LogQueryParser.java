package dev.plumb.analytics.logs;

import dev.plumb.analytics.logs.LogQuery.Comparison;
import dev.plumb.analytics.logs.LogQuery.DurationUnit;
import dev.plumb.analytics.logs.LogQuery.FieldMatch;
import dev.plumb.analytics.logs.LogQuery.MatchKind;
import dev.plumb.analytics.logs.LogQuery.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written recursive-descent parser for the log query language:
 *
 * <pre>
 * query      = [ or ] EOF
 * or         = and { "OR" and }
 * and        = unary { [ "AND" ] unary }          (juxtaposition is AND)
 * unary      = "NOT" unary | primary
 * primary    = "(" or ")" | term
 * term       = field ":" ( '"' phrase '"' | value [ "*" ] | "*" )
 *            | field ( ">" | ">=" | "<" | "<=" | "=" ) number [ unit ]
 *            | '"' phrase '"' | word                (free text)
 * unit       = "ns" | "us" | "ms" | "s" | "m" | "h"
 * </pre>
 *
 * {@code AND}, {@code OR} and {@code NOT} are keywords in any case; quote them to search for the
 * word. Errors are {@link LogQueryException}s carrying the 0-based column and a fix.
 */
public final class LogQueryParser {
    private static final Pattern NUMBER = Pattern.compile("([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?)([a-zA-Zµ]*)");

    private final String text;
    private int pos;

    private LogQueryParser(String text) {
        this.text = text;
    }

    /** The syntax tree of {@code query}; a null or blank query is {@link LogQuery.All}. */
    public static LogQuery parse(String query) {
        if (query == null || query.isBlank()) {
            return new LogQuery.All();
        }
        LogQueryParser parser = new LogQueryParser(query);
        LogQuery result = parser.or();
        parser.skipSpace();
        if (!parser.atEnd()) {
            // or() only stops early at a ')' it cannot match.
            throw error("unexpected ')' at column " + parser.pos, parser.pos, "remove it or add a matching '('");
        }
        return result;
    }

    private LogQuery or() {
        List<LogQuery> parts = new ArrayList<>();
        parts.add(and());
        while (true) {
            skipSpace();
            int at = pos;
            if (!keyword("OR")) {
                break;
            }
            requireTermAfter("OR", at);
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new LogQuery.Or(parts);
    }

    private LogQuery and() {
        List<LogQuery> parts = new ArrayList<>();
        parts.add(unary());
        while (true) {
            skipSpace();
            if (atEnd() || peek() == ')' || isKeywordAhead("OR")) {
                break;
            }
            int at = pos;
            if (keyword("AND")) {
                requireTermAfter("AND", at);
            }
            parts.add(unary());
        }
        return parts.size() == 1 ? parts.get(0) : new LogQuery.And(parts);
    }

    private LogQuery unary() {
        skipSpace();
        int at = pos;
        if (keyword("NOT")) {
            requireTermAfter("NOT", at);
            return new LogQuery.Not(unary());
        }
        return primary();
    }

    private LogQuery primary() {
        skipSpace();
        int at = pos;
        if (atEnd()) {
            throw error("the query ends where a term was expected", at, "add a term such as service:payment");
        }
        char c = peek();
        if (c == '(') {
            pos++;
            skipSpace();
            if (peek() == ')') {
                throw error("empty parentheses at column " + at, at, "put a term inside them or remove them");
            }
            LogQuery inner = or();
            skipSpace();
            if (peek() != ')') {
                throw error("missing ')' for the '(' at column " + at, at, "add ')' to close it or remove the '('");
            }
            pos++;
            return inner;
        }
        if (c == ')') {
            throw error("unexpected ')' at column " + at, at, "remove it or add a matching '('");
        }
        if (c == '"') {
            return new LogQuery.Text(quoted(), at);
        }
        if (c == ':' || isOperatorChar(c)) {
            throw error("unexpected '" + c + "' at column " + at, at,
                    "put a field name before it, as in service:payment or duration>500ms");
        }
        for (String kw : new String[] {"AND", "OR"}) {
            if (isKeywordAhead(kw)) {
                throw error(kw + " at column " + at + " needs a term before it", at,
                        "put a term before " + kw + " or remove it");
            }
        }
        String word = word();
        if (peek() == ':') {
            pos++;
            return fieldMatch(word, at);
        }
        int afterWord = pos;
        skipSpace();
        if (isOperatorChar(peek())) {
            // "duration > 500ms" reads as naturally as "duration>500ms".
            return comparison(word, at);
        }
        pos = afterWord;
        return new LogQuery.Text(word, at);
    }

    private LogQuery fieldMatch(String field, int at) {
        int valueAt = pos;
        if (atEnd() || Character.isWhitespace(peek()) || peek() == ')' || peek() == '(') {
            throw error("expected a value after '" + field + ":' at column " + valueAt, valueAt,
                    "write " + field + ":value, " + field + ":\"a phrase\" or " + field + ":prefix*");
        }
        if (peek() == '"') {
            return new FieldMatch(field, quoted(), MatchKind.PHRASE, at);
        }
        int start = pos;
        while (!atEnd() && !Character.isWhitespace(peek()) && peek() != '(' && peek() != ')') {
            pos++;
        }
        String value = text.substring(start, pos);
        if (value.equals("*")) {
            return new FieldMatch(field, "", MatchKind.EXISTS, at);
        }
        if (value.endsWith("*")) {
            String prefix = value.substring(0, value.length() - 1);
            if (prefix.contains("*")) {
                throw error("only a trailing '*' is supported, at column " + (start + prefix.indexOf('*')),
                        start + prefix.indexOf('*'), "use a prefix such as " + field + ":pay*");
            }
            return new FieldMatch(field, prefix, MatchKind.PREFIX, at);
        }
        return new FieldMatch(field, value, MatchKind.EXACT, at);
    }

    private LogQuery comparison(String field, int at) {
        Operator op;
        if (text.startsWith(">=", pos)) {
            op = Operator.GE;
        } else if (text.startsWith("<=", pos)) {
            op = Operator.LE;
        } else if (peek() == '>') {
            op = Operator.GT;
        } else if (peek() == '<') {
            op = Operator.LT;
        } else {
            op = Operator.EQ;
        }
        pos += op.sql().length();
        if (!atEnd() && isOperatorChar(peek())) {
            throw error("unexpected '" + peek() + "' at column " + pos + " after '" + op.sql() + "'", pos,
                    "use one of >, >=, <, <=, =");
        }
        skipSpace();
        int numberAt = pos;
        int start = pos;
        while (!atEnd() && !Character.isWhitespace(peek()) && peek() != '(' && peek() != ')') {
            pos++;
        }
        String raw = text.substring(start, pos);
        Matcher m = NUMBER.matcher(raw);
        if (raw.isEmpty() || !m.matches()) {
            throw error("expected a number after '" + field + op.sql() + "' at column " + numberAt, numberAt,
                    "write a number with an optional unit, as in duration>500ms or http.status_code>=500");
        }
        DurationUnit unit = null;
        if (!m.group(2).isEmpty()) {
            unit = DurationUnit.ofSuffix(m.group(2));
            if (unit == null) {
                int unitAt = numberAt + m.start(2);
                throw error("unknown unit '" + m.group(2) + "' at column " + unitAt, unitAt,
                        "use one of ns, us, ms, s, m, h");
            }
        }
        double number = Double.parseDouble(m.group(1));
        if (!Double.isFinite(number)) {
            throw error("number out of range at column " + numberAt, numberAt, "use a smaller number");
        }
        return new Comparison(field, op, number, unit, at);
    }

    private String quoted() {
        int open = pos;
        pos++;
        StringBuilder out = new StringBuilder();
        while (!atEnd()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\' && !atEnd()) {
                out.append(text.charAt(pos++));
            } else {
                out.append(c);
            }
        }
        throw error("unterminated quote starting at column " + open, open, "add a closing '\"'");
    }

    private String word() {
        int start = pos;
        while (!atEnd()) {
            char c = peek();
            if (Character.isWhitespace(c) || c == '(' || c == ')' || c == '"' || c == ':' || isOperatorChar(c)) {
                break;
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    private void requireTermAfter(String keyword, int at) {
        skipSpace();
        if (atEnd() || peek() == ')' || isKeywordAhead("AND") || isKeywordAhead("OR")) {
            throw error(keyword + " at column " + at + " needs a term after it", at,
                    "add a term after " + keyword + " or remove it");
        }
    }

    /** Consumes {@code kw} if it stands at the cursor as a whole word. */
    private boolean keyword(String kw) {
        if (isKeywordAhead(kw)) {
            pos += kw.length();
            return true;
        }
        return false;
    }

    private boolean isKeywordAhead(String kw) {
        if (!text.regionMatches(true, pos, kw, 0, kw.length())) {
            return false;
        }
        int end = pos + kw.length();
        return end == text.length() || Character.isWhitespace(text.charAt(end)) || text.charAt(end) == '(' || text.charAt(end) == ')'
                || text.charAt(end) == '"';
    }

    private static boolean isOperatorChar(char c) {
        return c == '>' || c == '<' || c == '=';
    }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return atEnd() ? '\0' : text.charAt(pos);
    }

    private static LogQueryException error(String message, int column, String hint) {
        return new LogQueryException(message + ": " + hint, column, hint);
    }
}
