package io.rollcall.chat;

import com.google.gson.JsonElement;
import io.ably.lib.types.AsyncHttpPaginatedResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One page of a paginated query, such as message history.
 *
 * <pre>{@code
 * for (PaginatedResult<Message> page = room.messages().history(HistoryParams.defaults()).join();
 *         page != null; page = page.next().join()) {
 *     page.items().forEach(m -> System.out.println(m.text()));
 * }
 * }</pre>
 *
 * @param <T> the type of the items
 */
public final class PaginatedResult<T> {
    private final ChatContext ctx;
    private final AsyncHttpPaginatedResponse response;
    private final Function<JsonElement, T> reader;
    private final List<T> items;

    private PaginatedResult(ChatContext ctx, AsyncHttpPaginatedResponse response, Function<JsonElement, T> reader) {
        this.ctx = ctx;
        this.response = response;
        this.reader = reader;
        JsonElement[] raw = response.items();
        List<T> list = new ArrayList<>(raw == null ? 0 : raw.length);
        if (raw != null) {
            for (JsonElement e : raw) {
                list.add(reader.apply(e));
            }
        }
        this.items = List.copyOf(list);
    }

    static <T> PaginatedResult<T> of(ChatContext ctx, AsyncHttpPaginatedResponse response, Function<JsonElement, T> reader) {
        return new PaginatedResult<>(ctx, response, reader);
    }

    /**
     * This page's items.
     *
     * @return an unmodifiable list
     */
    public List<T> items() {
        return items;
    }

    /**
     * Whether there is a further page.
     *
     * @return true if {@link #next()} gives a page
     */
    public boolean hasNext() {
        return response.hasNext();
    }

    /**
     * Whether this is the last page.
     *
     * @return the opposite of {@link #hasNext()}
     */
    public boolean isLast() {
        return !hasNext();
    }

    /**
     * The next page.
     *
     * @return a future of the next page, or of null if this is the last page; completed on the client's
     *         completion pool
     */
    public CompletableFuture<PaginatedResult<T>> next() {
        if (!hasNext()) {
            return CompletableFuture.completedFuture(null);
        }
        return ctx.deliver(ChatRest.next(response).thenApply(r -> of(ctx, r, reader)));
    }
}
