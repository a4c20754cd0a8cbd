package io.rollcall.chat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one kind of event. Each registration is its own {@link Subscription}; each event is run
 * on the client's listener executor, in event order; a listener that throws is logged and does not stop the
 * others. A registration checks that it is still active just before each call, so nothing queued runs after
 * its unsubscribe() has returned.
 */
final class Listeners<L> {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final Executor executor;

    Listeners(Executor executor) {
        this.executor = executor;
    }

    Subscription add(L listener) {
        if (listener == null) {
            throw new NullPointerException("listener must not be null");
        }
        Registration r = new Registration(listener);
        registrations.add(r);
        return r;
    }

    void dispatch(Consumer<L> call) {
        for (Registration r : registrations) {
            executor.execute(() -> {
                if (!r.active) {
                    return;
                }
                try {
                    call.accept(r.listener);
                } catch (Throwable t) {
                    log.warn("a Chat listener threw; the other listeners still run", t);
                }
            });
        }
    }

    /**
     * Stops dispatching to every listener (the room or client is going away). Unlike unsubscribe(), events
     * already dispatched still run: the last one is typically the RELEASED status change itself.
     */
    void clear() {
        registrations.clear();
    }

    boolean isEmpty() {
        return registrations.isEmpty();
    }

    private final class Registration implements Subscription {
        final L listener;
        volatile boolean active = true;

        Registration(L listener) {
            this.listener = listener;
        }

        @Override
        public void unsubscribe() {
            active = false;
            // Removes this registration only (identity), however many times its listener was added.
            registrations.remove(this);
        }
    }
}
