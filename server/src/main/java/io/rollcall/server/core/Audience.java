package io.rollcall.server.core;

import io.rollcall.server.protocol.Flags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A channel's recipients as flat arrays for the fan-out, rebuilt when an attachment comes, goes or changes its
 * modes. At 10,000 recipients each object the loop reaches per recipient is a cache miss: a loop over
 * {@link #subscribers} reads nothing but the connection it delivers to. Modes were read here, and so was each
 * connection's echo setting: the few that asked for no echo of their own messages are kept apart.
 */
final class Audience {
    static final Audience EMPTY = new Audience(new Attachment[0]);

    /** Every attachment, for the rare fan-out that must read each one's attach point. */
    final Attachment[] all;
    /** The connections attached with the subscribe mode: they get messages. */
    private final Connection[] subscribers;
    /** Those attached with annotation-subscribe: they get annotations (Chat's raw reactions). */
    private final Connection[] annotationSubscribers;
    private final Connection[] withoutEcho;

    private Audience(Attachment[] all) {
        this.all = all;
        List<Connection> subscribe = new ArrayList<>(all.length);
        List<Connection> annotations = new ArrayList<>();
        List<Connection> noEcho = new ArrayList<>();
        for (Attachment a : all) {
            if (a.has(Flags.SUBSCRIBE)) {
                subscribe.add(a.connection);
            }
            if (a.has(Flags.ANNOTATION_SUBSCRIBE)) {
                annotations.add(a.connection);
            }
            if (!a.connection.echo()) {
                noEcho.add(a.connection);
            }
        }
        this.subscribers = subscribe.toArray(new Connection[0]);
        this.annotationSubscribers = annotations.toArray(new Connection[0]);
        this.withoutEcho = noEcho.toArray(new Connection[0]);
    }

    static Audience of(Collection<Attachment> attachments) {
        return attachments.isEmpty() ? EMPTY : new Audience(attachments.toArray(new Attachment[0]));
    }

    /** Those that get a message sent with {@code mode} (SUBSCRIBE or ANNOTATION_SUBSCRIBE). */
    Connection[] receiving(int mode) {
        return mode == Flags.ANNOTATION_SUBSCRIBE ? annotationSubscribers : subscribers;
    }

    /**
     * The attached connection with this id if it asked for no echo (its own message must not come back to it),
     * else null. Once per message, not per recipient.
     */
    Connection withoutEcho(String connectionId) {
        if (connectionId != null) {
            for (Connection c : withoutEcho) {
                if (c.id().equals(connectionId)) {
                    return c;
                }
            }
        }
        return null;
    }
}
