package dev.kino.control.catalog;

import dev.kino.control.NotFoundException;
import dev.kino.protocol.token.TitleId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A title's poster: the one an editor uploaded, else the {@code poster.jpg} the packager wrote for the title's first
 * visible packaged media item.
 * Reads {@code media.root}, which the control API shares with the workers (one machine, or shared storage).
 */
public final class Posters {
    /** Largest poster served, bytes (the packager writes at most 1280 px wide JPEGs, far below this). */
    static final long MAX_POSTER_BYTES = 4L << 20;

    private final Catalog catalog;
    private final Path mediaRoot;
    private volatile java.util.function.Function<UUID, java.util.Optional<byte[]>> uploaded =
            id -> java.util.Optional.empty();

    /** Sets where posters editors uploaded come from (admin.TitlePosters); one of those wins over the packager's. */
    public void uploaded(java.util.function.Function<UUID, java.util.Optional<byte[]>> source) {
        this.uploaded = java.util.Objects.requireNonNull(source);
    }

    /** @param mediaRoot {@code media.root} */
    public Posters(Catalog catalog, Path mediaRoot) {
        this.catalog = catalog;
        this.mediaRoot = mediaRoot;
    }

    /**
     * @param admin the caller has {@code catalog.write} (unpublished media count too)
     * @return the JPEG bytes
     * @throws NotFoundException for a title the caller cannot see, or one without a poster yet
     */
    public byte[] poster(UUID titleId, boolean admin) {
        TitleDetail t = catalog.title(titleId, admin);
        java.util.Optional<byte[]> up = uploaded.apply(titleId);
        if (up.isPresent()) {
            return up.get();
        }
        List<MediaView> media = new ArrayList<>(t.media());
        t.seasons().forEach(s -> media.addAll(s.episodes()));
        for (MediaView m : media) {
            if (m.packagedTitleId() == null || !TitleId.isValid(m.packagedTitleId())) {
                continue;
            }
            // The folder name is a validated title id: no path traversal out of media.root.
            Path poster = mediaRoot.resolve(m.packagedTitleId()).resolve("poster.jpg");
            try {
                if (Files.isRegularFile(poster) && Files.size(poster) <= MAX_POSTER_BYTES) {
                    return Files.readAllBytes(poster);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new NotFoundException("title " + t.id() + " has no poster yet");
    }
}
