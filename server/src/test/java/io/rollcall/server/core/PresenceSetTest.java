package io.rollcall.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.protocol.PresenceMessage;
import org.junit.jupiter.api.Test;

class PresenceSetTest {
    static PresenceMessage event(int action, String connectionId, String clientId, String data) {
        PresenceMessage m = new PresenceMessage();
        m.action = action;
        m.connectionId = connectionId;
        m.clientId = clientId;
        m.data = data;
        m.id = connectionId + ":0:0";
        return m;
    }

    @Test
    void membersAreKeyedByConnectionAndClientAndIndexedByConnection() {
        PresenceSet set = new PresenceSet();
        set.apply(event(PresenceMessage.ENTER, "c1", "alice", "a"));
        set.apply(event(PresenceMessage.ENTER, "c2", "alice", "b"));
        set.apply(event(PresenceMessage.ENTER, "c1", "bob", "c"));
        set.apply(event(PresenceMessage.UPDATE, "c1", "alice", "a2"));
        assertThat(set.size()).isEqualTo(3);
        assertThat(set.get("c1", "alice").data).isEqualTo("a2");
        assertThat(set.get("c1", "alice").action).isEqualTo(PresenceMessage.PRESENT);
        assertThat(set.ofConnection("c1")).extracting(m -> m.clientId).containsExactlyInAnyOrder("alice", "bob");
        set.apply(event(PresenceMessage.LEAVE, "c1", "alice", null));
        assertThat(set.ofConnection("c1")).extracting(m -> m.clientId).containsExactly("bob");
        set.apply(event(PresenceMessage.LEAVE, "c1", "bob", null));
        assertThat(set.ofConnection("c1")).isEmpty();
        assertThat(set.ofConnection("c2")).hasSize(1);
        assertThat(set.snapshot()).extracting(m -> m.memberKey()).containsExactly("c2:alice");
    }
}
