package io.rollcall.server.integrations;

/**
 * A webhook rule and its delivery figures, for the operator console ({@code GET /console/api/webhooks}).
 * {@code appId} is null for a rule that serves every app.
 */
public record WebhookStats(String id, String source, String url, String appId, String channelFilter, int queueDepth,
                           long delivered, long retried, long failed, long dropped) {}
