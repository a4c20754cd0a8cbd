package io.rollcall.chat;

import com.google.gson.JsonElement;
import io.ably.lib.http.HttpCore;
import io.ably.lib.http.HttpUtils;
import io.ably.lib.types.AsyncHttpPaginatedResponse;
import io.ably.lib.types.Param;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Ably Chat's REST API v4 ({@code /chat/v4/rooms/{room}/...}) through ably-java's authenticated
 * {@code requestAsync}: JSON or msgpack as the client is configured, errors as {@link ChatException}.
 */
final class ChatRest {
    private static final Param[] NO_PARAMS = new Param[0];

    private final ChatContext ctx;
    private final String roomPath;

    ChatRest(ChatContext ctx, String room) {
        this.ctx = ctx;
        this.roomPath = "/chat/v4/rooms/" + encode(room);
    }

    /** A path segment, percent-encoded as {@code encodeURIComponent} does. */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code /chat/v4/rooms/{room}} followed by {@code suffix} (already encoded). */
    String path(String suffix) {
        return roomPath + suffix;
    }

    /** The response, failed with the server's error when not successful. Not yet delivered to the caller. */
    CompletableFuture<AsyncHttpPaginatedResponse> call(String method, String path, Param[] params, JsonElement body) {
        CompletableFuture<AsyncHttpPaginatedResponse> f = new CompletableFuture<>();
        HttpCore.RequestBody requestBody = body == null ? null
                : HttpUtils.requestBodyFromGson(body, ctx.realtime().options.useBinaryProtocol);
        ctx.realtime().requestAsync(method, path, params == null ? NO_PARAMS : params, requestBody, NO_PARAMS,
                callback(f));
        return f;
    }

    /** The next page of a paginated response. */
    static CompletableFuture<AsyncHttpPaginatedResponse> next(AsyncHttpPaginatedResponse page) {
        CompletableFuture<AsyncHttpPaginatedResponse> f = new CompletableFuture<>();
        page.next(callback(f));
        return f;
    }

    /** The first item of a response (a single object), or null. */
    static JsonElement first(AsyncHttpPaginatedResponse r) {
        JsonElement[] items = r.items();
        return items == null || items.length == 0 ? null : items[0];
    }

    private static AsyncHttpPaginatedResponse.Callback callback(CompletableFuture<AsyncHttpPaginatedResponse> f) {
        return new AsyncHttpPaginatedResponse.Callback() {
            @Override
            public void onResponse(AsyncHttpPaginatedResponse response) {
                if (!response.success) {
                    f.completeExceptionally(new ChatException(response.errorCode, response.statusCode, response.errorMessage));
                } else {
                    f.complete(response);
                }
            }

            @Override
            public void onError(io.ably.lib.types.ErrorInfo reason) {
                f.completeExceptionally(new ChatException(AblyCalls.convert(reason)));
            }
        };
    }
}
