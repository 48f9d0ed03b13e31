package dev.plumb.collector.chat;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signature: {@code X-Slack-Signature} is {@code v0=} and the hex HMAC-SHA256,
 * keyed with the app's signing secret, of {@code v0:<X-Slack-Request-Timestamp>:<raw body>}.
 * A request older (or newer) than five minutes is refused, so a captured one cannot be replayed.
 */
final class SlackSignature {
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final byte[] secret;

    SlackSignature(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The signature header value for {@code body} sent at {@code timestamp} (epoch seconds). */
    String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
        }
    }

    /** Why the request is refused, or empty when it is signed with the secret and fresh. */
    Optional<String> refusal(String timestamp, String signature, byte[] body, Instant now) {
        if (timestamp == null || signature == null) {
            return Optional.of("unsigned: X-Slack-Request-Timestamp and X-Slack-Signature are required");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Optional.of("X-Slack-Request-Timestamp is not epoch seconds");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > MAX_AGE.toSeconds()) {
            return Optional.of("the request is more than five minutes old");
        }
        byte[] expected = sign(timestamp.trim(), body).getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison, so the signature cannot be guessed byte by byte.
        if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of("the signature does not match the signing secret");
        }
        return Optional.empty();
    }
}
