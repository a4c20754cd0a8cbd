package io.rollcall.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ably's resource-name wildcards. Cases from ably/docs auth/capabilities.mdx ("Resource names and wildcards"),
 * plus the trailing-wildcard and qualifier rules ably/ably-server documents from Ably's own matcher.
 */
class CapabilityMatcherTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # A lone * is every channel, but not queues or metachannels.
            *                 | foo                    | true
            *                 | foo:bar:baz            | true
            *                 | room::$chat            | true
            *                 | [meta]occupancy        | false
            *                 | [queue]app-q           | false
            # Channel params are options of the attachment, not part of the name.
            *                 | [?rewind=1]foo         | true
            foo               | [?rewind=1]foo         | true
            # [*] is any qualifier, so [*]* is everything.
            [*]*              | foo                    | true
            [*]*              | ns:a:b                 | true
            [*]*              | [meta]log              | true
            [*]*              | [?rewind=1]foo         | true
            [*]foo            | foo                    | true
            [*]foo            | [meta]foo              | true
            [*]foo            | bar                    | false
            [meta]*           | [meta]log              | true
            [meta]*           | [meta?rewind=1]log     | true
            [meta]*           | foo                    | false
            [meta]*           | [queue]log             | false
            [meta]log         | [meta]log              | true
            [meta]log         | [meta]other            | false
            [meta]log         | log                    | false
            [queue]*          | [meta]log              | false
            # namespace:* is the whole namespace, at any depth.
            namespace:*       | namespace:channel      | true
            namespace:*       | namespace:channel:other| true
            namespace:*       | namespace              | true
            namespace:*       | namespacex:channel     | false
            namespace:*       | other:channel          | false
            namespace:*       | [meta]namespace:x      | false
            # A wildcard in the middle is exactly one segment.
            foo:*:baz         | foo:bar:baz            | true
            foo:*:baz         | foo::baz               | true
            foo:*:baz         | foo:bar:bam:baz        | false
            foo:*:baz         | foo:baz                | false
            foo:*:baz         | foo:bar:bazz           | false
            *:chat            | a:chat                 | true
            *:chat            | a:b:chat               | false
            *:*               | a                      | true
            *:*               | a:b:c                  | true
            # Only a whole segment is a wildcard.
            foo*              | foo*                   | true
            foo*              | foobar                 | false
            foo*              | foo                    | false
            # Everything else is exact.
            foo               | foo                    | true
            foo               | foo:bar                | false
            foo               | foobar                 | false
            foo               | fo                     | false
            room::$chat       | room::$chat            | true
            room::$chat       | room:$chat             | false
            room:*            | room::$chat            | true
            chat:lobby        | chat:lobby             | true
            chat:lobby        | chat:lobbyx            | false
            """)
    void matchesAsAblyDoes(String resource, String channel, boolean expected) {
        assertThat(CapabilityMatcher.compile(resource).matches(channel)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} and {1} give {2}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            *               | cansubscribe:*     | cansubscribe:*
            *               | cansubscribe       | cansubscribe
            cansubscribe:*  | cansubscribe:check | cansubscribe:check
            canpublish:*    | canpublish:*       | canpublish:*
            canpublish:*    | cansubscribe:*     | NONE
            testchannel     | testchannelx       | NONE
            channel2        | channel2           | channel2
            pushenabled:*   | pushenabled:admin:*| pushenabled:admin:*
            ns:*            | ns                 | ns
            ns:*:x          | ns:a:*             | ns:a:x
            ns:*:x          | ns:a               | NONE
            a:*:c           | *:b:c              | a:b:c
            *               | *                  | *
            [*]*            | foo                | foo
            [*]*            | [*]*               | [*]*
            *               | [*]*               | *
            [*]*            | [meta]*            | [meta]*
            *               | [meta]*            | NONE
            [meta]*         | [queue]*           | NONE
            """)
    void intersectsToTheChannelsBothMatch(String key, String requested, String expected) {
        CapabilityMatcher k = CapabilityMatcher.compile(key);
        CapabilityMatcher r = CapabilityMatcher.compile(requested);
        assertThat(k.intersect(r)).isEqualTo(expected);
        assertThat(r.intersect(k)).as("intersection is symmetric").isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource(delimiter = '|', textBlock = """
            *          | ns:*
            ns:*       | ns:a
            ns:*       | ns
            ns:*:x     | ns:a:*
            a:*:c      | *:b:c
            [*]*       | [meta]*
            [*]foo     | *
            foo:*:baz  | *:bar:*
            """)
    void anIntersectionMatchesExactlyTheChannelsBothMatch(String a, String b) {
        CapabilityMatcher x = CapabilityMatcher.compile(a);
        CapabilityMatcher y = CapabilityMatcher.compile(b);
        CapabilityMatcher both = CapabilityMatcher.compile(x.intersect(y));
        for (String channel : new String[] {"ns", "ns:a", "ns:a:x", "ns:a:y", "ns:b:x:y", "a:b:c", "a:x:c",
                "z:b:c", "foo", "bar", "foo:bar:baz", "foo:bar:baz:q", "[meta]log", "[meta]ns:a", "[?rewind=1]ns:a"}) {
            assertThat(both.matches(channel)).as(channel)
                    .isEqualTo(x.matches(channel) && y.matches(channel));
        }
    }
}
