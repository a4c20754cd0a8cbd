package io.rollcall.server.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/** An app's channels. Keys {@code appId.keyId:secret} belong to app {@code appId}; apps never share channels. */
public final class App {
    private final String id;
    private final Node node;
    private final ConcurrentMap<String, Channel> channels = new ConcurrentHashMap<>();
    private final io.rollcall.server.metrics.AppMeters meters;

    App(String id, Node node) {
        this.id = id;
        this.node = node;
        this.meters = node.telemetry().app(id);
        meters.bindChannels(channels::size, this::memberCount);
    }

    /** The app's meters, cached here so the hot path never looks them up. */
    public io.rollcall.server.metrics.AppMeters meters() {
        return meters;
    }

    private int memberCount() {
        int n = 0;
        for (Channel ch : channels.values()) {
            n += ch.memberCount();
        }
        return n;
    }

    public String id() {
        return id;
    }

    Node node() {
        return node;
    }

    /**
     * The live channel of that (already validated) name, created on demand. A new channel subscribes with the
     * engine and is seeded with what other nodes hold; until then it queues attaches. The memory engine seeds
     * at once, inside the creation, so with it no one ever sees an unseeded channel.
     */
    public Channel channel(String name) {
        while (true) {
            Channel ch = channels.computeIfAbsent(name, n -> {
                Channel created = new Channel(this, n);
                ChannelKey key = new ChannelKey(id, n);
                // History's head is read after subscribing, so every later message comes with its serial.
                node.broker().subscribe(key)
                        .handle((state, error) -> error == null ? state : null)
                        .thenCompose(state -> node.history().head(key, MessageHistory.Kind.MESSAGES)
                                .handle((head, error) -> {
                                    created.seed(state, error == null ? head : null);
                                    return null;
                                }));
                return created;
            });
            if (!ch.isClosed()) {
                return ch;
            }
            channels.remove(name, ch);
        }
    }

    /** Every channel this node holds. */
    java.util.Collection<Channel> channels() {
        return channels.values();
    }

    /** The channel if this node holds it, without creating it. */
    public Channel existing(String name) {
        return channels.get(name);
    }

    /** Names of active channels matching the filter, sorted, for enumeration. */
    public List<String> activeChannelNames(Predicate<String> filter) {
        List<String> names = new ArrayList<>();
        for (Channel ch : channels.values()) {
            if (filter.test(ch.name()) && ch.isActive()) {
                names.add(ch.name());
            }
        }
        names.sort(null);
        return names;
    }

    int channelCount() {
        return channels.size();
    }

    /** Forgets channels idle since before the given time. */
    void sweep(long idleBefore) {
        for (Channel ch : channels.values()) {
            if (ch.closeIfIdle(idleBefore) && channels.remove(ch.name(), ch)) {
                node.broker().unsubscribe(new ChannelKey(id, ch.name()));
            }
        }
    }
}
