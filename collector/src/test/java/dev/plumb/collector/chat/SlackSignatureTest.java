package dev.plumb.collector.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Slack's v0 signature, checked against a vector computed with Python's hmac module. */
class SlackSignatureTest {
    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final byte[] BODY = "command=%2Fplumb&text=health+checkout".getBytes(StandardCharsets.UTF_8);
    /** python3: 'v0=' + hmac.new(SECRET, b'v0:1531420618:' + BODY, hashlib.sha256).hexdigest() */
    private static final String EXPECTED = "v0=6e1d165245e2eef1341949b94af16b2c480a38b6a5bd7c498fc24cec28e9dfdd";
    private static final Instant SENT = Instant.ofEpochSecond(1531420618);

    @Test
    void signsAsSlackDoes() {
        assertThat(new SlackSignature(SECRET).sign("1531420618", BODY)).isEqualTo(EXPECTED);
    }

    @Test
    void acceptsAFreshRequestSignedWithTheSecretAndRefusesAnyOther() {
        SlackSignature s = new SlackSignature(SECRET);
        assertThat(s.refusal("1531420618", EXPECTED, BODY, SENT.plusSeconds(299))).isEmpty();
        assertThat(s.refusal("1531420618", EXPECTED, BODY, SENT.plusSeconds(301))).hasValueSatisfying(
                r -> assertThat(r).contains("five minutes"));
        assertThat(s.refusal("1531420618", EXPECTED.replace('6', '7'), BODY, SENT)).hasValueSatisfying(
                r -> assertThat(r).contains("does not match"));
        assertThat(s.refusal("1531420618", EXPECTED, "text=cost+checkout".getBytes(StandardCharsets.UTF_8), SENT))
                .as("a body changed in flight").isPresent();
        assertThat(s.refusal(null, EXPECTED, BODY, SENT)).hasValueSatisfying(r -> assertThat(r).contains("unsigned"));
    }
}
