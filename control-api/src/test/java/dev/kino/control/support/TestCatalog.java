package dev.kino.control.support;

import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Titles and media items made straight through the catalogue's API, for features that need something to point at. */
public final class TestCatalog {
    private TestCatalog() {
    }

    /** A title with one media item. */
    public record Item(UUID titleId, UUID mediaId) {
    }

    /** @return a movie with one published, packaged media item (visible to everyone) */
    public static Item published(String name) {
        return item(name, "published");
    }

    /** @return a movie whose only media item is in {@code state} ({@code draft}: visible to editors only) */
    public static Item item(String name, String state) {
        Catalog catalog = new Catalog(SharedDatabase.get().jdbi(), Clock.systemUTC());
        UUID title = catalog.createTitle(new TitleInput("movie", name + " " + UUID.randomUUID(), null, null, null, null,
                null, null, null, null, null));
        UUID media = catalog.createMedia(title, new MediaInput(null, null, "Feature", "p-" + UUID.randomUUID(),
                List.of("360p"), List.of("en"), List.of(), 600, true, "cenc", "free", true)).id();
        SharedDatabase.get().jdbi().useHandle(h -> h.createUpdate("update media_items set state = :s where id = :id")
                .bind("s", state).bind("id", media).execute());
        return new Item(title, media);
    }
}
