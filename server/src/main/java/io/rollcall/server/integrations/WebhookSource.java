package io.rollcall.server.integrations;

/** What a webhook rule listens to, by Ably's rule source names. */
public enum WebhookSource {
    OCCUPANCY("channel.occupancy"),
    PRESENCE("channel.presence"),
    LIFECYCLE("channel.lifecycle");

    private final String wireName;

    WebhookSource(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    static WebhookSource parse(String name) {
        for (WebhookSource s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        return null;
    }
}
