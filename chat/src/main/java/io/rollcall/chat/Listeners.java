package io.rollcall.chat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one kind of event. Each is called on the client's listener executor, in event order; one
 * that throws is logged and does not stop the others.
 */
final class Listeners<L> {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<L> listeners = new CopyOnWriteArrayList<>();
    private final Executor executor;

    Listeners(Executor executor) {
        this.executor = executor;
    }

    Subscription add(L listener) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void dispatch(Consumer<L> call) {
        for (L l : listeners) {
            executor.execute(() -> {
                try {
                    call.accept(l);
                } catch (Throwable t) {
                    log.warn("a Chat listener threw; the other listeners still run", t);
                }
            });
        }
    }

    void clear() {
        listeners.clear();
    }

    boolean isEmpty() {
        return listeners.isEmpty();
    }
}
