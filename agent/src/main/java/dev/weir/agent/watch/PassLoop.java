package dev.weir.agent.watch;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One thread that runs passes: a trigger schedules one pass, and one pending pass covers every trigger
 * before it starts (bursts coalesce). Informers only call on changes, so a pass that could not finish asks
 * to be tried again, backing off from a second to a minute.
 */
final class PassLoop implements AutoCloseable {
    private static final long FIRST_RETRY_MILLIS = 1000, LAST_RETRY_MILLIS = 60_000;

    private final ScheduledExecutorService thread;
    private final Runnable pass;
    private final AtomicBoolean pending = new AtomicBoolean();
    /** The next retry's delay; 0 after a pass that finished. */
    private long retryMillis;

    PassLoop(String name, Runnable pass) {
        this.thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).factory());
        this.pass = pass;
    }

    /** Schedules a pass unless one is pending; does nothing once closed (an informer's last callback). */
    void trigger() {
        if (thread.isShutdown() || !pending.compareAndSet(false, true)) return;
        try {
            thread.execute(() -> {
                pending.set(false);
                pass.run();
            });
        } catch (RejectedExecutionException closing) {
            pending.set(false);
        }
    }

    /** Called by a pass that finished: the next failure starts backing off afresh. */
    void finished() {
        retryMillis = 0;
    }

    /** Called by a pass that could not finish: another runs later, each wait twice the last. */
    void retryLater() {
        retryMillis = retryMillis == 0 ? FIRST_RETRY_MILLIS : Math.min(retryMillis * 2, LAST_RETRY_MILLIS);
        try {
            thread.schedule(this::trigger, retryMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closed while the pass ran: nothing more to do
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
