package dev.kino.control.catalog;

import dev.kino.control.ConflictException;
import dev.kino.control.NotFoundException;
import dev.kino.control.catalog.MediaStore.MediaRow;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The media state machine: the one class that changes a media item's {@code state} (and with it
 * {@code published_at} and the source), for the editors' routes and for the packaging job queue alike. The
 * legal moves are {@link MediaState#next()}:
 *
 * <pre>
 * uploaded ─package→ queued ─claim→ packaging ─done→ ready ─publish→ published ─take down→ taken_down
 *                       ↑  (lease expired) ↩      └fail→ failed ─retry→ queued        ↑unpublish→ ready
 *                                                                      taken_down ─publish→ published
 * </pre>
 *
 * <p>An editor's move is checked ({@link #move}): an illegal one is a {@link ConflictException} naming the states
 * it is allowed from. The packaging job queue reports job events ({@link #packagingStarted},
 * {@link #packagingFailed}, {@link #packaged} …) inside its own transaction; those follow the job's state, which
 * the queue already serialises with row locks, so they are applied as they come.
 *
 * <pre>{@code
 * MediaRow before = lifecycle.publish(mediaId);          // 404, or 409 unless ready or taken down
 * jdbi.useTransaction(h -> lifecycle.packagingFailed(h, mediaId));
 * }</pre>
 */
public final class MediaLifecycle {
    private final MediaStore store;

    public MediaLifecycle(MediaStore store) {
        this.store = store;
    }

    private final java.util.List<java.util.function.Consumer<java.util.UUID>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Registers a listener told the title of an item after {@link #publish}, {@link #takeDown} or {@link #unpublish}
     * commits (the catalogue passes them on, see {@link Catalog#onTitleChanged}); null after a season is deleted.
     */
    void onTitleChanged(java.util.function.Consumer<java.util.UUID> listener) {
        listeners.add(listener);
    }

    void changed(java.util.UUID titleId) {
        if (titleId != null) {
            listeners.forEach(l -> l.accept(titleId));
        }
    }

    /** @return the store of the items this machine moves */
    public MediaStore store() {
        return store;
    }

    // ---- editors' moves -----------------------------------------------------------------------------------

    /**
     * Moves an item to {@code to} inside the caller's transaction, after checking the move is legal.
     *
     * @param verb what the caller is doing, for the conflict's message ({@code publish}, {@code take down})
     * @return the row before the move
     * @throws NotFoundException for an unknown item
     * @throws ConflictException for an illegal move
     */
    public MediaRow move(Handle h, UUID id, MediaState to, String verb) {
        MediaRow m = store.media(h, id, true).orElseThrow(() -> mediaNotFound(id));
        if (!m.state().canMoveTo(to)) {
            throw new ConflictException("cannot " + verb + " media " + id + ": it is " + m.state().wire()
                    + " (allowed from " + MediaState.from(to).stream().map(MediaState::wire).sorted()
                    .collect(Collectors.joining(", ")) + ")");
        }
        store.updateState(h, id, to);
        return m;
    }

    /** Publishes a ready (or taken down) item. @return the row before @throws ConflictException otherwise */
    public MediaRow publish(UUID id) {
        record Published(MediaRow before, boolean firstOfTitle) {
        }
        Published p = store.jdbi().inTransaction(h -> {
            MediaRow before = move(h, id, MediaState.PUBLISHED, "publish");
            boolean first = h.createQuery("select count(*) from media_items where title_id = :t and state = 'published'")
                    .bind("t", before.titleId()).mapTo(Integer.class).one() == 1;
            return new Published(before, first);
        });
        changed(p.before().titleId());
        if (p.before().state() != MediaState.TAKEN_DOWN) { // back after a take-down is no news
            PublishListener l = onPublished;
            if (l != null) {
                l.published(p.before(), p.firstOfTitle());
            }
        }
        return p.before();
    }

    /** Hears of each media item published for the first time (notifications tell followers and watchers). */
    @FunctionalInterface
    public interface PublishListener {
        /** @param firstOfTitle whether it is the title's only published item (the title itself is out) */
        void published(MediaRow media, boolean firstOfTitle);
    }

    private volatile PublishListener onPublished;

    /** Sets the one listener of publications (while wiring). */
    public void onPublished(PublishListener listener) {
        this.onPublished = listener;
    }

    /** Takes a published item down. @return the row before @throws ConflictException otherwise */
    public MediaRow takeDown(UUID id) {
        MediaRow m = store.jdbi().inTransaction(h -> move(h, id, MediaState.TAKEN_DOWN, "take down"));
        changed(m.titleId());
        return m;
    }

    /** Moves a published item back to ready (no new playbacks). @throws ConflictException unless published */
    public MediaRow unpublish(UUID id) {
        MediaRow before = store.jdbi().inTransaction(h -> {
            MediaRow m = store.media(h, id, true).orElseThrow(() -> mediaNotFound(id));
            if (m.state() != MediaState.PUBLISHED) {
                throw new ConflictException("cannot unpublish media " + id + ": it is " + m.state().wire()
                        + " (allowed from published)");
            }
            return move(h, id, MediaState.READY, "unpublish");
        });
        changed(before.titleId());
        return before;
    }

    /**
     * Registers a source file and moves the item back to {@code uploaded} (a job in progress for the old source is
     * left to the queue, whose events then follow the job).
     *
     * @throws NotFoundException for an unknown item
     * @throws ConflictException while it is published or taken down
     */
    public void replaceSource(UUID id, String path) {
        store.jdbi().useTransaction(h -> {
            MediaRow m = move(h, id, MediaState.UPLOADED, "replace the source of");
            store.updateSource(h, m.id(), path);
        });
    }

    /** @throws ConflictException while the item is published or packaging: deleting it would pull it from under them */
    public void requireDeletable(MediaRow m) {
        if (m.state() == MediaState.PUBLISHED || m.state() == MediaState.PACKAGING) {
            throw new ConflictException("media " + m.id() + " is " + m.state().wire()
                    + "; unpublish it or cancel its job first");
        }
    }

    /** @throws ConflictException while the item is published or packaging: its folder is in use */
    public void requireFolderChangeable(MediaRow m) {
        if (m.state() == MediaState.PUBLISHED || m.state() == MediaState.PACKAGING) {
            throw new ConflictException("media " + m.id() + " is " + m.state().wire()
                    + "; its packaged title id cannot change now");
        }
    }

    // ---- packaging job events (the job queue's transaction) -----------------------------------------------

    /**
     * A packaging job is queued for the item.
     *
     * @return the row before
     * @throws NotFoundException for an unknown item
     * @throws ConflictException when it has no source, is already queued or packaging, or is published
     */
    public MediaRow packagingQueued(Handle h, UUID id) {
        MediaRow m = store.media(h, id, true).orElseThrow(() -> mediaNotFound(id));
        if (m.sourcePath() == null) {
            throw new ConflictException("media " + id + " has no source; upload or register one first");
        }
        if (m.state() == MediaState.PACKAGING || m.state() == MediaState.QUEUED) {
            throw new ConflictException("media " + id + " is already " + m.state().wire());
        }
        return move(h, id, MediaState.QUEUED, "package");
    }

    /** A failed or cancelled job is queued again. @throws ConflictException when the item can no longer be packaged */
    public void packagingRequeued(Handle h, UUID id) {
        move(h, id, MediaState.QUEUED, "package");
    }

    /** A worker claimed the item's job. */
    public void packagingStarted(Handle h, UUID id) {
        store.updateState(h, id, MediaState.PACKAGING);
    }

    /** An attempt failed and the job waits for another. */
    public void packagingRetrying(Handle h, UUID id) {
        store.updateState(h, id, MediaState.QUEUED);
    }

    /** The job failed for good (last attempt, or its worker died on it). */
    public void packagingFailed(Handle h, UUID id) {
        store.updateState(h, id, MediaState.FAILED);
    }

    /** The job was cancelled: the item is back where it was before packaging. */
    public void packagingCancelled(Handle h, UUID id) {
        store.updateState(h, id, MediaState.UPLOADED);
    }

    /** The job succeeded: records what packaging produced and moves the item to {@code ready}. */
    public void packaged(Handle h, UUID id, List<String> renditions, List<String> audio, List<String> subs,
                         Integer durationSeconds, boolean dash) {
        store.updatePackaged(h, id, renditions, audio, subs, durationSeconds, dash);
    }

    /** @return the exception for an unknown media item */
    public static NotFoundException mediaNotFound(UUID id) {
        return new NotFoundException("no media " + id);
    }
}
