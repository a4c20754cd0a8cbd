package io.rollcall.chat;

import java.util.Map;

/**
 * A multiple reaction's summary: the total count and each client's.
 *
 * @param total the sum of all counts
 * @param clientIds each client's count (unmodifiable)
 * @param totalUnidentified the count from clients without a clientId
 * @param clipped whether {@code clientIds} was cut short
 * @param totalClientIds how many clients reacted
 */
public record SummaryClientIdCounts(int total, Map<String, Integer> clientIds, int totalUnidentified, boolean clipped,
                                    int totalClientIds) {
}
