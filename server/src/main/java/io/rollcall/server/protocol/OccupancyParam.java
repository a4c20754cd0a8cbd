package io.rollcall.server.protocol;

/** The {@code occupancy} channel param: {@code metrics} for every category, or {@code metrics.<category>}. */
public final class OccupancyParam {
    private static final String[] CATEGORIES = {
        "connections", "publishers", "subscribers", "presenceConnections",
        "presenceMembers", "presenceSubscribers", "objectPublishers", "objectSubscribers"
    };

    private OccupancyParam() {}

    /** Null when absent; "metrics" for all; else the single category. Anything else is 40003. */
    public static String category(String param) {
        if (param == null || param.isEmpty()) {
            return null;
        }
        if (param.equals("metrics")) {
            return "metrics";
        }
        if (param.startsWith("metrics.")) {
            String c = param.substring("metrics.".length());
            for (String known : CATEGORIES) {
                if (known.equals(c)) {
                    return c;
                }
            }
        }
        throw new AblyException(40003, 400, "Invalid value for channel param occupancy: '" + param
                + "'; expected 'metrics' or 'metrics.<category>'");
    }
}
