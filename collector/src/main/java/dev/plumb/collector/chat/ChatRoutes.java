package dev.plumb.collector.chat;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.alerts.AlertStore;
import dev.plumb.analytics.cost.CostEngine;
import dev.plumb.collector.api.ApiException;
import dev.plumb.collector.api.Blocking;
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
        api.post("/chat/slack/command").handler(routes::command);
    }

    private void command(RoutingContext ctx) {
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
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

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
