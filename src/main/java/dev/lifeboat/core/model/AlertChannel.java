package dev.lifeboat.core.model;

import java.util.Map;

/**
 * Where alerts go. {@code kind}: slack (target: incoming-webhook URL), webhook (target: URL; JSON
 * payload, see ADR 12), email (target: recipients; options smtp=HOST:PORT, from, starttls=required|optional|off,
 * user, password=secret:NAME) or ping (target: URL called after each good run, a dead man's switch).
 * A target or option of the form {@code secret:NAME} is read from the secret store.
 */
public record AlertChannel(String name, String kind, String target, Map<String, String> options) {
    public AlertChannel {
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
