package io.rollcall.chat;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A room's occupancy events as a Reactive Streams publisher: demand is honoured (no onNext beyond what was
 * requested), events are conflated to the latest while there is no demand, and cancel unsubscribes.
 */
final class OccupancyPublisher implements Flow.Publisher<OccupancyEvent> {
    private final Occupancy occupancy;

    OccupancyPublisher(Occupancy occupancy) {
        this.occupancy = occupancy;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super OccupancyEvent> subscriber) {
        if (subscriber == null) {
            throw new NullPointerException("subscriber");
        }
        Conflating s = new Conflating(subscriber);
        s.subscription = occupancy.listen(s::offer);
        subscriber.onSubscribe(s);
    }

    private static final class Conflating implements Flow.Subscription {
        private final Flow.Subscriber<? super OccupancyEvent> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicReference<OccupancyEvent> latest = new AtomicReference<>();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile boolean done;
        private volatile Subscription subscription;

        Conflating(Flow.Subscriber<? super OccupancyEvent> subscriber) {
            this.subscriber = subscriber;
        }

        void offer(OccupancyEvent event) {
            if (done) {
                return;
            }
            latest.set(event);
            drain();
        }

        @Override
        public void request(long n) {
            if (done) {
                return;
            }
            if (n <= 0) {
                // Reactive Streams rule 3.9.
                cancel();
                subscriber.onError(new IllegalArgumentException("request(" + n + "): demand must be positive"));
                return;
            }
            demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            drain();
        }

        @Override
        public void cancel() {
            done = true;
            Subscription s = subscription;
            if (s != null) {
                s.unsubscribe();
            }
        }

        /** One thread at a time delivers; others just note there is more to do. */
        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                while (!done && demand.get() > 0) {
                    OccupancyEvent e = latest.getAndSet(null);
                    if (e == null) {
                        break;
                    }
                    demand.decrementAndGet();
                    subscriber.onNext(e);
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }
    }
}
