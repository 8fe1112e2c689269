package dev.kino.control.catalog;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.UUID;

/**
 * The catalogue's former single store, kept only so that code outside the control API's feature packages compiles
 * while it moves to {@link Catalog}: the packaging job workers ({@code JobWorker}, {@code JobWorkers}: they read
 * {@link #media(UUID)} and hand this to {@code new JobQueue(store)}) and the launcher's demo set-up. It is a
 * {@link MediaStore}; its other methods delegate to the {@link Catalog} over it ({@link #catalog()}).
 *
 * @deprecated use {@link Catalog} (and {@link MediaStore}, {@link MediaLifecycle}); remove once the job workers and
 *             the demo set-up use them
 */
@Deprecated(forRemoval = true)
public final class CatalogStore extends MediaStore {
    private final Catalog catalog;

    public CatalogStore(Jdbi jdbi, Clock clock) {
        super(jdbi, clock);
        this.catalog = new Catalog(jdbi, this, clock);
    }

    /** @return the catalogue over this store */
    public Catalog catalog() {
        return catalog;
    }

    /** @see Catalog#createTitle(Handle, TitleInput) */
    public UUID createTitle(Handle h, TitleInput input) {
        return catalog.createTitle(h, input);
    }

    /** @see Catalog#createMedia(UUID, MediaInput) */
    public MediaRow createMedia(UUID titleId, MediaInput input) {
        return catalog.createMedia(titleId, input);
    }

    /** @see MediaLifecycle#replaceSource(UUID, String) */
    public void setSource(UUID id, String path) {
        catalog.lifecycle().replaceSource(id, path);
    }

    /** @see MediaLifecycle#move(Handle, UUID, MediaState, String) */
    public MediaRow transition(Handle h, UUID id, MediaState to, String verb) {
        return catalog.lifecycle().move(h, id, to, verb);
    }
}
