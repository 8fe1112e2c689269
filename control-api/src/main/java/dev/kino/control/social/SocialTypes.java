package dev.kino.control.social;

import dev.kino.control.catalog.MediaView;
import dev.kino.control.catalog.TitleSummary;

import java.time.Instant;
import java.util.UUID;

/** JSON shapes of the social feature. */
public final class SocialTypes {
    private SocialTypes() {
    }

    /**
     * A title in the caller's watchlist.
     *
     * @param titleId the title
     * @param addedAt when it was added
     * @param title the title as the catalogue lists it
     */
    public record WatchlistEntry(UUID titleId, Instant addedAt, TitleSummary title) {
    }

    /**
     * Whether a title is in the caller's watchlist.
     *
     * @param titleId the title
     * @param inWatchlist true when it is
     * @param addedAt when it was added, or absent
     */
    public record WatchlistStatus(UUID titleId, boolean inWatchlist, Instant addedAt) {
    }

    /**
     * A media item the caller started and did not finish (one per title: the most recently watched).
     *
     * @param title the title as the catalogue lists it
     * @param media the media item (a movie's feature or an episode) to play
     * @param positionSeconds where the caller stopped
     * @param durationSeconds the item's duration, or absent before packaging
     * @param progress position as a fraction of the duration (0 to 1), or absent without a duration
     * @param updatedAt when the position was last saved
     */
    public record ContinueWatchingItem(TitleSummary title, MediaView media, int positionSeconds, Integer durationSeconds,
                                       Double progress, Instant updatedAt) {
    }
}
