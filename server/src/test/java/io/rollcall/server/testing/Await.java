package io.rollcall.server.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waits on conditions, never on the clock. */
public final class Await {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Await() {}

    public static void until(BooleanSupplier condition, String what) {
        await(what).atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }

    public static <T> T value(Callable<T> supplier, java.util.function.Predicate<T> ok, String what) {
        return await(what).atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(supplier, ok::test);
    }

    public static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
