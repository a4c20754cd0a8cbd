package io.rollcall.chat;

import io.ably.lib.realtime.AblyRealtime;
import java.util.concurrent.Executor;

/** What every part of one {@link ChatClient} shares. */
record ChatContext(AblyRealtime realtime, Executor listenerExecutor, Executor blockingExecutor) {
}
