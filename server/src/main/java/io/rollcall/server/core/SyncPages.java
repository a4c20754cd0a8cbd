package io.rollcall.server.core;

import io.rollcall.server.protocol.EncodedMessage;
import java.util.List;

/**
 * A channel's latest SYNC, kept as its pages for the next joiners while the presence set stays as it was: each
 * page is then encoded at most once per format however many clients join, where each join would otherwise
 * encode the whole set again. Forgotten at the channel's next sweep, so an idle channel does not hold the
 * encoded set. Guarded by the channel's monitor.
 */
final class SyncPages {
    private long version = -1;
    private List<EncodedMessage> pages;

    /** The kept pages if the set is still at {@code setVersion}, else null. */
    List<EncodedMessage> at(long setVersion) {
        return pages != null && version == setVersion ? pages : null;
    }

    void keep(long setVersion, List<EncodedMessage> built) {
        version = setVersion;
        pages = built;
    }

    void forget() {
        pages = null;
    }
}
