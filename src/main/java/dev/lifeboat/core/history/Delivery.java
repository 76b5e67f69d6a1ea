package dev.lifeboat.core.history;

/** An alert's delivery to one channel: its status (sent, failed...), the attempts so far and the last error. */
public record Delivery(String channel, String status, int attempts, String lastError) {
}
