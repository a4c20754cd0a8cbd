package io.rollcall.chat;

import java.util.List;

/**
 * A unique or distinct reaction's summary: how many clients reacted, and who.
 *
 * @param total how many reacted
 * @param clientIds who reacted (unmodifiable)
 * @param clipped whether {@code clientIds} was cut short
 */
public record SummaryClientIdList(int total, List<String> clientIds, boolean clipped) {
}
