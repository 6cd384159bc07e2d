package dev.weir.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PassLoopTest {
    @Test
    void triggersWhileAPassIsPendingCoalesce() throws InterruptedException {
        var passes = new AtomicInteger();
        var release = new CountDownLatch(1);
        var first = new CountDownLatch(1);
        try (var loop = new PassLoop("test-loop", () -> {
            first.countDown();
            if (passes.incrementAndGet() == 1) waitFor(release);
        })) {
            loop.trigger();
            first.await();
            for (int i = 0; i < 100; i++) loop.trigger(); // while the first pass runs: one more pass covers them all
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> passes.get() == 2);
            loop.trigger();
            await().atMost(Duration.ofSeconds(10)).until(() -> passes.get() == 3);
        }
        assertThat(passes.get()).isEqualTo(3);
    }

    @Test
    void aPassThatCannotFinishIsTriedAgain() {
        var passes = new AtomicInteger();
        var loop = new PassLoop[1];
        try (var created = new PassLoop("test-loop", () -> {
            if (passes.incrementAndGet() < 2) loop[0].retryLater();
            else loop[0].finished();
        })) {
            loop[0] = created;
            created.trigger();
            await().atMost(Duration.ofSeconds(10)).until(() -> passes.get() == 2);
        }
    }

    @Test
    void triggersAfterCloseDoNothing() {
        var passes = new AtomicInteger();
        var loop = new PassLoop("test-loop", passes::incrementAndGet);
        loop.close();
        loop.trigger();
        loop.retryLater();
        assertThat(passes.get()).isZero();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
