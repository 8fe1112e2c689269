package dev.kino.control.catalog;

import dev.kino.control.ConflictException;
import dev.kino.control.NotFoundException;
import dev.kino.control.support.SharedDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The media state machine against the real database: every state change of a media item goes through it. */
class MediaLifecycleTest {
    static Jdbi jdbi;
    static Catalog catalog;
    static MediaLifecycle lifecycle;

    @BeforeAll
    static void start() {
        jdbi = SharedDatabase.get().jdbi();
        catalog = new Catalog(jdbi, Clock.systemUTC());
        lifecycle = catalog.lifecycle();
    }

    static UUID item(boolean packaged) {
        UUID title = catalog.createTitle(new TitleInput("movie", "Lifecycle " + UUID.randomUUID(), null, Map.of(), null,
                null, null, null, null, null, null));
        return catalog.createMedia(title, new MediaInput(null, null, null, null, null, null, null, null, null, null,
                null, packaged)).id();
    }

    static MediaState state(UUID id) {
        return catalog.media(id).orElseThrow().state();
    }

    @Test
    void anEditorsIllegalMoveIsAConflictNamingWhereItIsAllowedFrom() {
        UUID id = item(false);
        ConflictException e = assertThrows(ConflictException.class, () -> lifecycle.publish(id));
        assertEquals("cannot publish media " + id + ": it is uploaded (allowed from published, ready, taken_down)",
                e.getMessage());
        assertEquals(MediaState.UPLOADED, state(id), "nothing moved");
        assertThrows(ConflictException.class, () -> lifecycle.takeDown(id));
        assertThrows(ConflictException.class, () -> lifecycle.unpublish(id));
        assertThrows(NotFoundException.class, () -> lifecycle.publish(UUID.randomUUID()));
    }

    @Test
    void publishTakeDownRepublishUnpublish() {
        UUID id = item(true);
        assertEquals(MediaState.READY, lifecycle.publish(id).state(), "returns the row before the move");
        MediaStore.MediaRow published = catalog.media(id).orElseThrow();
        assertEquals(MediaState.PUBLISHED, published.state());
        assertNotNull(published.publishedAt());
        lifecycle.takeDown(id);
        assertEquals(MediaState.TAKEN_DOWN, state(id));
        assertThrows(ConflictException.class, () -> lifecycle.replaceSource(id, "/elsewhere.mkv"),
                "a taken-down item keeps its source");
        lifecycle.publish(id);
        assertThrows(ConflictException.class, () -> lifecycle.replaceSource(id, "/elsewhere.mkv"),
                "a published item keeps its source");
        ConflictException e = assertThrows(ConflictException.class, () -> catalog.deleteMedia(id));
        assertTrue(e.getMessage().contains("unpublish it or cancel its job first"), e.getMessage());
        lifecycle.unpublish(id);
        assertEquals(MediaState.READY, state(id));
        catalog.deleteMedia(id);
        assertTrue(catalog.media(id).isEmpty());
    }

    @Test
    void packagingEventsFollowTheJob() {
        UUID id = item(false);
        ConflictException noSource = assertThrows(ConflictException.class,
                () -> jdbi.useTransaction(h -> lifecycle.packagingQueued(h, id)));
        assertTrue(noSource.getMessage().contains("has no source"), noSource.getMessage());
        lifecycle.replaceSource(id, "/incoming/" + id + ".mkv");
        assertEquals("/incoming/" + id + ".mkv", catalog.media(id).orElseThrow().sourcePath());
        jdbi.useTransaction(h -> lifecycle.packagingQueued(h, id));
        assertEquals(MediaState.QUEUED, state(id));
        assertThrows(ConflictException.class, () -> jdbi.useTransaction(h -> lifecycle.packagingQueued(h, id)),
                "already queued");
        jdbi.useTransaction(h -> lifecycle.packagingStarted(h, id));
        assertEquals(MediaState.PACKAGING, state(id));
        assertThrows(ConflictException.class, () -> catalog.deleteMedia(id), "packaging: not deletable");
        jdbi.useTransaction(h -> lifecycle.packagingRetrying(h, id));
        assertEquals(MediaState.QUEUED, state(id));
        jdbi.useTransaction(h -> lifecycle.packagingStarted(h, id));
        jdbi.useTransaction(h -> lifecycle.packaged(h, id, List.of("720p", "360p"), List.of("ja"), List.of("en"), 90, true));
        MediaStore.MediaRow ready = catalog.media(id).orElseThrow();
        assertEquals(MediaState.READY, ready.state());
        assertEquals(List.of("720p", "360p"), ready.renditions());
        assertEquals(90, ready.durationSeconds());
        assertNull(ready.publishedAt());
    }

    @Test
    void aFailedJobCanBeRequeuedAndACancelledOneReturnsToUploaded() {
        UUID id = item(false);
        lifecycle.replaceSource(id, "/incoming/" + id + ".mkv");
        jdbi.useTransaction(h -> lifecycle.packagingQueued(h, id));
        jdbi.useTransaction(h -> lifecycle.packagingFailed(h, id));
        assertEquals(MediaState.FAILED, state(id));
        jdbi.useTransaction(h -> lifecycle.packagingRequeued(h, id));
        assertEquals(MediaState.QUEUED, state(id));
        jdbi.useTransaction(h -> lifecycle.packagingCancelled(h, id));
        assertEquals(MediaState.UPLOADED, state(id));
    }
}
