package io.rollcall.server.core;

import java.util.Map;

/**
 * A validated ATTACH: the granted modes (requested ∩ capability), the occupancy category asked for (null for
 * none, "metrics" for all, or one category), the params to echo, and whether the client expects continuity.
 */
record AttachRequest(int grantedModes, String occupancyCategory, Map<String, String> params, String channelSerial,
                     boolean attachResume) {
}
