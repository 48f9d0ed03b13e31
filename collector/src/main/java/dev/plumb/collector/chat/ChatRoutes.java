package dev.plumb.collector.chat;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.alerts.AlertStore;
import dev.plumb.analytics.cost.CostEngine;
import dev.plumb.collector.api.ApiException;
import dev.plumb.collector.api.Blocking;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/chat/slack/command}: Slack's slash command, form-encoded as Slack sends
 * it. Every request must carry Slack's signature made with {@code PLUMB_SLACK_SIGNING_SECRET}
 * (see {@link SlackSignature}); anything unsigned, forged or stale is a 401, and so is every
 * request while no secret is configured. The answer is {@code {"response_type":"ephemeral","text"}}.
 */
public final class ChatRoutes {
    /** A slash command's form is well under a kilobyte. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final SlackSignature signature;
    private final SlashCommands commands;
    private final Blocking blocking;

    private ChatRoutes(SlackSignature signature, SlashCommands commands, Blocking blocking) {
        this.signature = signature;
        this.commands = commands;
        this.blocking = blocking;
    }

    /** Adds the chat call to {@code api}; {@code signingSecret} may be null or blank (then every call is refused). */
    public static void mount(Router api, Store store, CostEngine costs, AlertStore alerts, String signingSecret,
                             Blocking blocking) {
        SlackSignature signature = signingSecret == null || signingSecret.isBlank() ? null : new SlackSignature(signingSecret);
        ChatRoutes routes = new ChatRoutes(signature, new SlashCommands(store, costs, alerts), blocking);
        // Ahead of the API's BodyHandler (order 0): it decodes a form body as it arrives, so a bad
        // escape such as %zz would fail the request (a 500) before the signature could be checked.
        api.post("/chat/slack/command").order(-1).handler(routes::command);
    }

    /** Reads the raw body (at most {@link #MAX_BODY_BYTES}), then answers it. */
    private void command(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            ctx.fail(new IllegalStateException("the slash command's body was read before its handler ran"));
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (!tooLarge[0] && body.length() + chunk.length() > MAX_BODY_BYTES) {
                tooLarge[0] = true;
                ctx.fail(413);
            } else if (!tooLarge[0]) {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(ctx::fail);
        request.endHandler(v -> {
            if (!tooLarge[0] && !ctx.failed()) {
                // Outside the router's call now: a refusal must be routed to the API's error handler by hand.
                try {
                    answer(ctx, body.getBytes());
                } catch (RuntimeException e) {
                    ctx.fail(e);
                }
            }
        });
        request.resume();
    }

    private void answer(RoutingContext ctx, byte[] body) {
        Optional<String> refusal = signature == null
                ? Optional.of("slash commands are off: set PLUMB_SLACK_SIGNING_SECRET on the server")
                : signature.refusal(ctx.request().getHeader("X-Slack-Request-Timestamp"),
                        ctx.request().getHeader("X-Slack-Signature"), body, Instant.now());
        if (refusal.isPresent()) {
            throw new ApiException(401, refusal.get(), "X-Slack-Signature",
                    "Slack signs each request with the app's signing secret; Plumb checks it with PLUMB_SLACK_SIGNING_SECRET");
        }
        String text = form(new String(body, StandardCharsets.UTF_8)).getOrDefault("text", "");
        blocking.respond(ctx, () -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("response_type", "ephemeral");
            answer.put("text", commands.answer(text, Instant.now()));
            return answer;
        });
    }

    /** The fields of a form body; a bad percent escape ({@code %zz}) is a 400, read after the signature is checked. */
    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("body", "the form field '" + pair.substring(0, Math.min(eq, 40))
                                    + "' is not URL-encoded: " + e.getMessage(),
                            "send application/x-www-form-urlencoded, with '%' followed by two hex digits, as Slack does");
                }
            }
        }
        return out;
    }
}
