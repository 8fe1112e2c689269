package dev.kino.control.media;

import dev.kino.common.state.SharedState;
import dev.kino.common.state.SharedStateException;
import dev.kino.common.state.TitleTakedowns;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tells every media server that a packaged title was taken down (or restored), following the
 * {@link TitleTakedowns} contract of shared state: the durable set of taken-down title ids, read by a media server
 * when it starts, and the announcement channel for servers already running, so a take-down applies within the
 * time it takes a message to cross Redis (or at once, in process).
 */
public final class Takedowns {
    private final SharedState state;
    private final Duration timeout;

    /**
     * @param state shared state
     * @param timeout longest wait for the store per call
     */
    public Takedowns(SharedState state, Duration timeout) {
        this.state = state;
        this.timeout = timeout;
    }

    /** Adds the title to the set, then announces it. Idempotent (re-announces). Blocks up to the timeout. */
    public void takeDown(String titleId) {
        await(TitleTakedowns.takeDown(state, titleId));
    }

    /** Removes the title from the set and announces it. Blocks up to the timeout. */
    public void restore(String titleId) {
        await(TitleTakedowns.restore(state, titleId));
    }

    private void await(CompletionStage<Void> stage) {
        try {
            stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SharedStateException("interrupted while announcing a take-down", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SharedStateException s ? s
                    : new SharedStateException("cannot announce a take-down: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new SharedStateException("shared state did not answer within " + timeout + " announcing a take-down", e);
        }
    }
}
