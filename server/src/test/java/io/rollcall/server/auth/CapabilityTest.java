package io.rollcall.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Flags;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CapabilityTest {
    /** Keys 1-3 of ably-common test-resources/test-app-setup.json, used by the SDKs' own capability tests. */
    static final String KEY1 = "{ \"cansubscribe:*\":[\"subscribe\"], \"canpublish:*\":[\"publish\"], "
            + "\"canpublish:andpresence\":[\"presence\",\"publish\"], "
            + "\"pushenabled:*\":[\"publish\",\"subscribe\",\"push-subscribe\"], "
            + "\"pushenabled:admin:*\":[\"publish\",\"subscribe\",\"push-admin\"] }";
    static final String KEY2 = "{ \"channel0\":[\"publish\"], \"channel1\":[\"publish\"], "
            + "\"channel2\":[\"publish\", \"subscribe\"], \"channel3\":[\"subscribe\"], "
            + "\"channel4\":[\"presence\", \"publish\", \"subscribe\"], \"channel5\":[\"presence\"], \"channel6\":[\"*\"] }";
    static final String KEY3 = "{ \"*\":[\"subscribe\"] }";

    // ---- parsing and the canonical form

    @Test
    void canonicalFormSortsResourcesAndOperationsCompactly() {
        Capability c = Capability.parse("{\"a\":[\"subscribe\",\"publish\"],\"*\":[\"presence\"]}");
        assertThat(c.toJson()).isEqualTo("{\"*\":[\"presence\"],\"a\":[\"publish\",\"subscribe\"]}");
        assertThat(c).hasToString(c.toJson());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"a\":[\"subscribe\",\"publish\"],\"*\":[\"presence\"]}",
            "{ \"zeta\" : [ \"history\" , \"publish\" ], \"alpha:*\": [\"*\"], \"Beta\": [\"subscribe\"] }",
            "{\"[*]*\":[\"*\"],\"[meta]*\":[\"subscribe\"],\"room::$chat\":[\"presence\",\"channel-metadata\"]}",
            "{\"caf\u00e9:*\":[\"subscribe\"],\"cafe:*\":[\"publish\"],\"\u65e5\u672c\":[\"presence\"]}",
            "{\"a b\":[\"push-admin\",\"push-subscribe\",\"stats\",\"privileged-headers\"]}",
    })
    void canonicalFormIsWhatAblyJavaSigns(String json) throws Exception {
        // ably-java's own canonicaliser (io.ably.lib.types.Capability.c14n) is what its TokenRequest MAC covers.
        assertThat(Capability.parse(json).toJson()).isEqualTo(io.ably.lib.types.Capability.c14n(json));
    }

    @Test
    void canonicalFormIsStableUnderReparsing() {
        Capability c = Capability.parse(KEY1);
        assertThat(Capability.parse(c.toJson())).isEqualTo(c);
        assertThat(Capability.parse(c.toJson()).toJson()).isEqualTo(c.toJson());
    }

    @Test
    void repeatedOperationsCollapse() {
        assertThat(Capability.parse("{\"a\":[\"publish\",\"publish\"]}").toJson()).isEqualTo("{\"a\":[\"publish\"]}");
    }

    @Test
    void allIsEveryOperationOnEveryChannel() {
        assertThat(Capability.all().toJson()).isEqualTo("{\"*\":[\"*\"]}");
        assertThat(Capability.all()).isEqualTo(Capability.parse("{\"*\":[\"*\"]}"));
        for (Operation op : Operation.values()) {
            assertThat(Capability.all().permits("any:channel", op)).isTrue();
        }
        assertThat(Capability.all().permits("[meta]log", Operation.SUBSCRIBE)).isFalse();
    }

    @Test
    void entriesAreTheCanonicalMapAndImmutable() {
        Capability c = Capability.parse("{\"b\":[\"subscribe\",\"publish\"],\"a\":[\"*\"]}");
        assertThat(c.entries().keySet()).containsExactly("a", "b");
        assertThat(c.entries().get("b")).containsExactly("publish", "subscribe");
        assertThatThrownBy(() -> c.entries().get("b").add("presence")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> c.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    /** ably-js test/rest/capability.test.js "Invalid capabilities 1-3" and more: Ably answers 40000/400. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"channel0\":[\"publish_\"]}",
            "{\"channel0\":[\"*\",\"publish\"]}",
            "{\"channel0\":[]}",
            "{\"channel0\":\"publish\"}",
            "{\"channel0\":[1]}",
            "{\"channel0\":[\"statistics\"]}",
            "{\"\":[\"publish\"]}",
            "{}",
            "[]",
            "\"publish\"",
            "not json",
            "{\"a\":[\"publish\"]",
    })
    void invalidCapabilitiesAre40000(String json) {
        assertThatThrownBy(() -> Capability.parse(json)).isInstanceOfSatisfying(AblyException.class, e -> {
            assertThat(e.error().code()).isEqualTo(40000);
            assertThat(e.error().statusCode()).isEqualTo(400);
        });
    }

    @Test
    void nullIs40000() {
        assertThatThrownBy(() -> Capability.parse(null)).isInstanceOfSatisfying(AblyException.class,
                e -> assertThat(e.error().code()).isEqualTo(40000));
    }

    // ---- permits

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            subscribe        | general           | true
            publish          | general           | false
            publish          | pub:x             | true
            subscribe        | pub:x             | true
            presence         | pub:x             | false
            history          | rooms:lobby       | true
            presence         | rooms:lobby       | true
            publish          | rooms:lobby       | true
            publish          | rooms:other       | false
            channel-metadata | rooms:other       | true
            stats            | rooms:other       | false
            subscribe        | [meta]occupancy   | true
            publish          | [meta]occupancy   | false
            """)
    void permitsTheUnionOfMatchingResources(String op, String channel, boolean expected) {
        Capability c = Capability.parse("{\"*\":[\"subscribe\"],\"pub:*\":[\"publish\"],"
                + "\"rooms:*\":[\"history\",\"presence\",\"channel-metadata\"],\"rooms:lobby\":[\"*\"],"
                + "\"[meta]*\":[\"subscribe\"]}");
        assertThat(c.permits(channel, Operation.fromWire(op))).isEqualTo(expected);
    }

    // ---- channel modes on ATTACH

    @ParameterizedTest(name = "{0} grants {1}")
    @CsvSource(delimiter = '|', textBlock = """
            publish              | 131072
            subscribe            | 786432
            presence             | 65536
            annotation-publish   | 2097152
            annotation-subscribe | 4194304
            object-publish       | 33554432
            object-subscribe     | 16777216
            history              | 0
            channel-metadata     | 0
            *                    | 57606144
            """)
    void eachOperationGrantsItsModes(String op, int expected) {
        Capability c = Capability.parse("{\"ch\":[\"" + op + "\"]}");
        assertThat(c.grantedModes("ch", Flags.MODE_ALL)).isEqualTo(expected);
        assertThat(c.grantedModes("other", Flags.MODE_ALL)).isZero();
    }

    @Test
    void modeBitsInTheTableAreTheFlags() {
        assertThat(131072).isEqualTo(Flags.PUBLISH);
        assertThat(786432).isEqualTo(Flags.SUBSCRIBE | Flags.PRESENCE_SUBSCRIBE);
        assertThat(65536).isEqualTo(Flags.PRESENCE);
        assertThat(57606144).isEqualTo(Flags.MODE_ALL);
    }

    @Test
    void grantedModesAreTheRequestedOnesAllowed() {
        Capability c = Capability.parse("{\"*\":[\"subscribe\"],\"pub:*\":[\"publish\"]}");
        assertThat(c.grantedModes("pub:x", Flags.MODE_DEFAULT))
                .isEqualTo(Flags.PUBLISH | Flags.SUBSCRIBE | Flags.PRESENCE_SUBSCRIBE);
        assertThat(c.grantedModes("pub:x", Flags.PUBLISH | Flags.PRESENCE)).isEqualTo(Flags.PUBLISH);
        assertThat(c.grantedModes("other", Flags.MODE_DEFAULT)).isEqualTo(Flags.SUBSCRIBE | Flags.PRESENCE_SUBSCRIBE);
        assertThat(c.grantedModes("other", Flags.PRESENCE)).isZero();
        assertThat(Capability.all().grantedModes("x", Flags.PRESENCE_SUBSCRIBE)).isEqualTo(Flags.PRESENCE_SUBSCRIBE);
        assertThat(Capability.all().grantedModes("x", 0)).isZero();
    }

    // ---- token capabilities: requested ∩ key, as Ably answers the SDKs' capability tests

    @ParameterizedTest(name = "{1} with key {0}")
    @CsvSource(delimiter = '|', textBlock = """
            KEY1 | {"canpublish:check":["publish"]}                                  | {"canpublish:check":["publish"]}
            KEY2 | {"channel2":["presence","subscribe"]}                             | {"channel2":["subscribe"]}
            KEY2 | {"channel2":["presence","subscribe"],"channelx":["presence","subscribe"]} | {"channel2":["subscribe"]}
            KEY2 | {"channel2":["*"]}                                                | {"channel2":["publish","subscribe"]}
            KEY2 | {"channel6":["publish","subscribe"]}                              | {"channel6":["publish","subscribe"]}
            KEY2 | {"channel6":["*"]}                                                | {"channel6":["*"]}
            KEY3 | {"cansubscribe":["subscribe"]}                                    | {"cansubscribe":["subscribe"]}
            KEY3 | {"cansubscribe:*":["subscribe"]}                                  | {"cansubscribe:*":["subscribe"]}
            KEY3 | {"*":["*"]}                                                       | {"*":["subscribe"]}
            KEY3 | {"a":["publish","subscribe"]}                                     | {"a":["subscribe"]}
            ALL  | {"rooms:*":["subscribe","presence"]}                              | {"rooms:*":["presence","subscribe"]}
            ALL  | {"[*]*":["*"]}                                                    | {"*":["*"]}
            """)
    void tokenCapabilityIsTheIntersection(String keyName, String requested, String expected) {
        assertThat(key(keyName).intersect(Capability.parse(requested)).toJson()).isEqualTo(expected);
    }

    @Test
    void blanketAndEqualIntersectionGiveTheKeysCapability() {
        Capability key1 = Capability.parse(KEY1);
        assertThat(key1.intersect(key1)).isEqualTo(key1);
        assertThat(key1.intersect(Capability.all())).isEqualTo(key1);
        assertThat(Capability.all().intersect(key1)).isEqualTo(key1);
    }

    @Test
    void aWildcardKeyResourceNarrowsToTheRequestedOne() {
        Capability key = Capability.parse("{\"[*]*\":[\"*\"]}");
        assertThat(key.intersect(Capability.parse("{\"foo\":[\"publish\"]}")).toJson()).isEqualTo("{\"foo\":[\"publish\"]}");
        assertThat(key.intersect(Capability.parse("{\"[meta]*\":[\"subscribe\"]}")).toJson())
                .isEqualTo("{\"[meta]*\":[\"subscribe\"]}");
        assertThat(Capability.parse("{\"ns:*\":[\"presence\"]}").intersect(Capability.parse("{\"ns\":[\"*\"]}")).toJson())
                .isEqualTo("{\"ns\":[\"presence\"]}");
    }

    /** ably-js "Empty ops intersection" / "Empty paths intersection": refused with 401 (40160). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            KEY1 | {"canpublish:test":["subscribe"]}
            KEY2 | {"channelx":["publish"]}
            KEY2 | {"channel5":["publish","subscribe"]}
            KEY3 | {"[meta]*":["subscribe"]}
            ALL  | {"[meta]*":["subscribe"]}
            """)
    void anEmptyIntersectionIs40160(String keyName, String requested) {
        assertThatThrownBy(() -> key(keyName).intersect(Capability.parse(requested)))
                .isInstanceOfSatisfying(AblyException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(40160);
                    assertThat(e.error().statusCode()).isEqualTo(401);
                });
    }

    /** The token may do exactly what both the key and the request allow, channel by channel. */
    @Test
    void anIntersectionPermitsExactlyWhatBothPermit() {
        List<String> caps = List.of(KEY1, KEY2, KEY3, "{\"*\":[\"*\"]}", "{\"[*]*\":[\"subscribe\",\"presence\"]}",
                "{\"rooms:*\":[\"*\"],\"rooms:*:admin\":[\"publish\"]}", "{\"*:lobby\":[\"presence\",\"history\"]}",
                "{\"[meta]*\":[\"*\"],\"channel2\":[\"presence\"]}");
        List<String> channels = List.of("channel2", "channel6", "channelx", "cansubscribe", "cansubscribe:x",
                "canpublish:andpresence", "canpublish:x:y", "pushenabled:admin:z", "rooms:lobby", "rooms:a:admin",
                "rooms:a:b:admin", "x:lobby", "[meta]occupancy", "[?rewind=1]channel2");
        for (String k : caps) {
            for (String r : caps) {
                Capability key = Capability.parse(k);
                Capability req = Capability.parse(r);
                Capability both = key.intersection(req);
                for (String ch : channels) {
                    for (Operation op : Operation.values()) {
                        assertThat(both.permits(ch, op)).as("%s ∩ %s: %s on %s", k, r, op, ch)
                                .isEqualTo(key.permits(ch, op) && req.permits(ch, op));
                    }
                }
            }
        }
    }

    private static Capability key(String name) {
        return switch (name) {
            case "KEY1" -> Capability.parse(KEY1);
            case "KEY2" -> Capability.parse(KEY2);
            case "KEY3" -> Capability.parse(KEY3);
            default -> Capability.all();
        };
    }
}
