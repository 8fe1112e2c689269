package dev.kino.control.catalog;

import dev.kino.control.NotFoundException;
import dev.kino.control.support.SharedDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The poster of a title comes from the folder of its first visible packaged media item, nothing else. */
class PostersTest {

    @Test
    void theFirstVisibleItemsPosterOnly(@TempDir Path mediaRoot) throws IOException {
        Catalog catalog = new Catalog(SharedDatabase.get().jdbi(), Clock.systemUTC());
        Posters posters = new Posters(catalog, mediaRoot);
        UUID title = catalog.createTitle(new TitleInput("movie", "Poster " + UUID.randomUUID(), null, Map.of(), null,
                null, null, null, null, null, null));
        String folder = "poster-" + UUID.randomUUID();
        UUID media = catalog.createMedia(title, new MediaInput(null, null, null, folder, null, null, null, null, null,
                null, "free", true)).id();
        assertThrows(NotFoundException.class, () -> posters.poster(title, true), "no poster.jpg yet");
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00};
        Files.createDirectories(mediaRoot.resolve(folder));
        Files.write(mediaRoot.resolve(folder).resolve("poster.jpg"), jpeg);
        assertArrayEquals(jpeg, posters.poster(title, true), "an editor sees the ready item's poster");
        assertThrows(NotFoundException.class, () -> posters.poster(title, false), "nothing published: no title");
        catalog.lifecycle().publish(media);
        assertArrayEquals(jpeg, posters.poster(title, false));
    }
}
