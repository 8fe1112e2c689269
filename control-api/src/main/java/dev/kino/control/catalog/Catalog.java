package dev.kino.control.catalog;

import dev.kino.control.ConflictException;
import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.catalog.MediaStore.MediaRow;
import dev.kino.control.catalog.SeasonStore.SeasonRow;
import dev.kino.control.http.Page;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The catalogue's API: what its routes call, and the only way other features (playback, watchlists, jobs, the
 * importer) reach titles, seasons and media items. It keeps the rules that span the catalogue's three stores, each
 * the only owner of its tables: {@link TitleStore}, {@link SeasonStore}, {@link MediaStore}, with the media state
 * machine in {@link MediaLifecycle}. Blocking (JDBC): call it from handlers, which run on the runtime's bounded
 * executor, or from job workers.
 *
 * <p>Visibility: callers without {@code catalog.write} ({@code admin} false) see only published media, and only
 * titles with at least one published item; anything else does not exist for them ({@link NotFoundException}).
 *
 * <pre>{@code
 * Catalog catalog = new Catalog(jdbi, clock);
 * UUID id = catalog.createTitle(new TitleInput("movie", "Akira", "ja", ...));
 * TitleDetail t = catalog.title(id, true);
 * }</pre>
 */
public final class Catalog {
    private final Jdbi jdbi;
    private final TitleStore titles;
    private final SeasonStore seasons;
    private final MediaStore media;
    private final MediaLifecycle lifecycle;
    private final List<java.util.function.Consumer<UUID>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Catalog(Jdbi jdbi, Clock clock) {
        this(jdbi, new MediaStore(jdbi, clock), clock);
    }

    /** Over an existing media store (the job queue and the catalogue then share one). */
    public Catalog(Jdbi jdbi, MediaStore media, Clock clock) {
        this.jdbi = jdbi;
        this.titles = new TitleStore(jdbi, clock);
        this.seasons = new SeasonStore();
        this.media = media;
        this.lifecycle = new MediaLifecycle(media);
        this.lifecycle.onTitleChanged(this::changed);
    }

    /**
     * Registers a listener told, after the change is committed, of every title created, edited or deleted through
     * this catalogue, and of every title whose media items were created, edited, deleted, published, unpublished or
     * taken down through it or its {@link #lifecycle()} (the search index follows it). Changes made by other nodes,
     * or inside a caller's transaction ({@code Handle} methods), are not told: poll {@link #changedSince}.
     *
     * @param listener called with the title id on the thread that made the change; must be quick and not throw
     */
    public void onTitleChanged(java.util.function.Consumer<UUID> listener) {
        listeners.add(listener);
    }

    private void changed(UUID titleId) {
        for (var l : listeners) {
            try {
                l.accept(titleId);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Catalog.class).warn("title change listener failed: {}", e.toString());
            }
        }
    }

    // ---- for the search index -------------------------------------------------------------------------------

    /** @return the given titles as the search index reads them (unknown ids left out), in no particular order */
    public List<SearchableTitle> searchableTitles(List<UUID> ids) {
        return jdbi.withHandle(h -> titles.searchable(h, ids));
    }

    /** @return up to {@code limit} title ids after {@code after} (null: from the first), in id order */
    public List<UUID> titleIdsAfter(UUID after, int limit) {
        return jdbi.withHandle(h -> titles.idsAfter(h, after, limit));
    }

    /** @return titles changed (their row or a media item's) after {@code since}, with their latest change */
    public Map<UUID, java.time.Instant> changedSince(java.time.Instant since) {
        return jdbi.withHandle(h -> titles.changedSince(h, since));
    }

    /** @return every title's plays and votes, by id, and the mean vote of the catalogue (for weighted ratings) */
    public Figures figures() {
        return jdbi.withHandle(h -> new Figures(titles.figures(h), titles.meanRating(h)));
    }

    /**
     * Plays and votes of every title.
     *
     * @param byTitle plays and votes by title id
     * @param meanRating mean score of every vote on every title (0 when there is none)
     */
    public record Figures(Map<UUID, TitleStore.Figures> byTitle, double meanRating) {
    }

    /** @return the media state machine (publishing, take-downs, packaging job events) */
    public MediaLifecycle lifecycle() {
        return lifecycle;
    }

    /** @return the media items' store */
    public MediaStore mediaStore() {
        return media;
    }

    /**
     * Runs {@code work} in one transaction; the methods taking a {@link Handle} join it (the importer writes many
     * titles atomically this way).
     */
    public <R> R inTransaction(HandleCallback<R, RuntimeException> work) {
        return jdbi.inTransaction(work);
    }

    // ---- titles -------------------------------------------------------------------------------------------

    /**
     * Creates a title.
     *
     * @return its id
     * @throws InvalidInputException for invalid fields
     * @throws ConflictException when an external id already belongs to a title
     */
    public UUID createTitle(TitleInput input) {
        TitleInput.Normalised t = input.normalised();
        UUID id = jdbi.inTransaction(h -> titles.insert(h, t));
        changed(id);
        return id;
    }

    /** As {@link #createTitle(TitleInput)}, in the caller's transaction. */
    public UUID createTitle(Handle h, TitleInput input) {
        return titles.insert(h, input.normalised());
    }

    /**
     * Replaces a title's metadata (names, synopses and external ids included).
     *
     * @throws NotFoundException for an unknown title
     * @throws InvalidInputException for invalid fields
     * @throws ConflictException when the kind would change to movie on a title that has seasons, or an external id
     *                           belongs to another title
     */
    public void replaceTitle(UUID id, TitleInput input) {
        TitleInput.Normalised t = input.normalised();
        jdbi.useTransaction(h -> replace(h, id, t));
        changed(id);
    }

    /** As {@link #replaceTitle(UUID, TitleInput)}, in the caller's transaction. */
    public void replaceTitle(Handle h, UUID id, TitleInput input) {
        replace(h, id, input.normalised());
    }

    private void replace(Handle h, UUID id, TitleInput.Normalised t) {
        String kind = titles.kind(h, id, true).orElseThrow(() -> titleNotFound(id));
        if (!kind.equals(t.kind()) && t.kind().equals("movie") && seasons.count(h, id) > 0) {
            throw new ConflictException("title " + id + " has seasons; it cannot become a movie");
        }
        titles.update(h, id, t);
    }

    /**
     * Deletes a title with its seasons and media.
     *
     * @throws NotFoundException for an unknown title
     * @throws ConflictException while any of its media is published
     */
    public void deleteTitle(UUID id) {
        jdbi.useTransaction(h -> {
            titles.kind(h, id, true).orElseThrow(() -> titleNotFound(id));
            int published = media.countPublished(h, id);
            if (published > 0) {
                throw new ConflictException("title " + id + " has " + published
                        + " published media item(s); unpublish or take them down first");
            }
            titles.delete(h, id);
        });
        changed(id);
    }

    /** @return the title an external id was imported as, if any */
    public Optional<UUID> findByExternalId(Handle h, String source, String externalId) {
        return titles.findByExternalId(h, source, externalId);
    }

    /** @return the title's external ids by source */
    public Map<String, String> externalIds(Handle h, UUID id) {
        return titles.externalIds(h, id);
    }

    /** @return one page of titles (see {@link TitleStore#browse}) */
    public Page<TitleSummary> browse(TitleQuery query, boolean admin, Page.Cursor cursor) {
        return titles.browse(query, admin, cursor);
    }

    /**
     * @param maxAge the highest minimum age shown (a viewer profile's maturity); {@link Integer#MAX_VALUE}: no limit
     * @return one page of titles rated at most {@code maxAge} (see {@link TitleStore#browse})
     */
    public Page<TitleSummary> browse(TitleQuery query, boolean admin, int maxAge, Page.Cursor cursor) {
        return titles.browse(query, admin, maxAge, cursor);
    }

    /**
     * @param maxAge the highest minimum age the caller may see; a title above it is "not found"
     * @return the title as {@link #title(UUID, boolean)}
     */
    public TitleDetail title(UUID id, boolean admin, int maxAge) {
        TitleDetail t = title(id, admin);
        if (CatalogFields.minAge(t.ageRating()) > maxAge) {
            throw titleNotFound(id);
        }
        return t;
    }

    /**
     * @param admin include media in every state (else only published, and not found for a title without any)
     * @return the title with its seasons and media
     * @throws NotFoundException for an unknown (or, to non-admins, unpublished) title
     */
    public TitleDetail title(UUID id, boolean admin) {
        return jdbi.withHandle(h -> {
            TitleRow t = titles.row(h, id).orElseThrow(() -> titleNotFound(id));
            List<MediaRow> items = media.ofTitle(h, id);
            if (!admin) {
                items = items.stream().filter(m -> m.state() == MediaState.PUBLISHED).toList();
                if (items.isEmpty()) {
                    throw titleNotFound(id);
                }
            }
            List<TitleDetail.SeasonView> seasonViews = new ArrayList<>();
            for (SeasonRow s : seasons.ofTitle(h, id)) {
                List<MediaView> eps = items.stream().filter(m -> s.id().equals(m.seasonId())).map(m -> m.view(admin)).toList();
                if (admin || !eps.isEmpty()) {
                    seasonViews.add(new TitleDetail.SeasonView(s.id(), s.number(), s.name(), eps));
                }
            }
            List<MediaView> loose = items.stream().filter(m -> m.seasonId() == null).map(m -> m.view(admin)).toList();
            return new TitleDetail(t.id(), t.kind(), t.originalTitle(), t.originalLanguage(),
                    titles.names(h, List.of(id)).getOrDefault(id, Map.of()), titles.synopses(h, id), t.year(),
                    CatalogFields.rating(t.minAge()), t.genres(), t.tags(), t.studios(), t.people(), titles.externalIds(h, id),
                    t.popularity(), seasonViews, loose, t.createdAt(), t.updatedAt());
        });
    }

    /** @throws NotFoundException unless the title exists and (for non-admins) has a published item */
    public void requireVisibleTitle(UUID id, boolean admin) {
        // what visibleTitles decides (the title exists, and an admin or a published media item), in one statement:
        // every vote and comment on a title asks this, so it is one round trip, not three
        boolean visible = jdbi.withHandle(h -> h.createQuery("""
                        select exists (select 1 from titles t where t.id = :id and (:admin or exists (
                                       select 1 from media_items m where m.title_id = t.id and m.state = 'published')))""")
                .bind("id", id).bind("admin", admin).mapTo(Boolean.class).one());
        if (!visible) {
            throw titleNotFound(id);
        }
    }

    /**
     * @param ids title ids, in any order
     * @return the list shape of those of {@code ids} the caller may see, by id (absent: unknown or not visible)
     */
    public Map<UUID, TitleSummary> visibleTitles(List<UUID> ids, boolean admin) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> {
            List<TitleRow> rows = titles.rows(h, ids);
            Set<UUID> published = admin ? Set.of() : media.titlesWithPublished(h, ids);
            List<TitleRow> visible = rows.stream().filter(r -> admin || published.contains(r.id())).toList();
            Map<UUID, Map<String, String>> names = titles.names(h, visible.stream().map(TitleRow::id).toList());
            Map<UUID, TitleSummary> out = new LinkedHashMap<>();
            visible.forEach(r -> out.put(r.id(), r.summary(names.getOrDefault(r.id(), Map.of()))));
            return out;
        });
    }

    /**
     * Facts of titles for the recommendations feature (visibility, maturity, access of published media, content).
     *
     * @param ids title ids, in any order (unknown ones are left out)
     * @return their facts, in no particular order
     */
    public List<TitleFacts> titleFacts(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> titles.facts(h, ids, null, 0));
    }

    /**
     * One page of every title's facts, in id order (the recommendations job reads the whole catalogue with it).
     *
     * @param after the last id of the previous page, or null to start
     * @param limit most titles returned, 1 or more
     */
    public List<TitleFacts> titleFacts(UUID after, int limit) {
        return jdbi.withHandle(h -> titles.facts(h, null, after, limit));
    }

    /** @return the mean score of every vote on every title (the C of {@link #weightedRating}), 0 without votes */
    public double meanRating() {
        return jdbi.withHandle(titles::meanRating);
    }

    /** @return the minimum viewer age of a title, 0 for an unknown one */
    public int minAge(UUID titleId) {
        return titles.row(titleId).map(TitleRow::minAge).orElse(0);
    }

    /** Counts one playback towards the title's popularity. */
    public void countPlay(UUID titleId) {
        titles.countPlay(titleId);
    }

    /**
     * Records a title's rating figures (the ratings feature calls it in its own transaction) for the
     * {@link TitleQuery.Sort#TOP_RATED} order.
     *
     * @param count votes
     * @param sum sum of their scores (1 to 10 each)
     */
    public void ratingChanged(Handle h, UUID titleId, int count, long sum) {
        titles.ratingChanged(h, titleId, count, sum);
    }

    /**
     * @param count a title's votes
     * @param sum the sum of their scores
     * @return its weighted (Bayesian) rating: (sum + m·C) / (count + m), C the mean of every vote on every title and
     *         m {@link TitleStore#RATING_PRIOR_VOTES}; the mean C itself for a title without votes
     */
    public double weightedRating(int count, long sum) {
        return TitleStore.weighted(count, sum, jdbi.withHandle(titles::meanRating));
    }

    // ---- seasons ------------------------------------------------------------------------------------------

    /**
     * @return the season's id, creating it (named {@code name}) when missing, renaming it when {@code name} is given
     * @throws NotFoundException for an unknown title
     * @throws ConflictException on a movie
     */
    public UUID ensureSeason(Handle h, UUID titleId, int number, String name) {
        String kind = titles.kind(h, titleId, false).orElseThrow(() -> titleNotFound(titleId));
        if (!kind.equals("series")) {
            throw new ConflictException("title " + titleId + " is a movie; movies have no seasons");
        }
        return seasons.upsert(h, titleId, number, name);
    }

    /**
     * Creates (or renames) a season of a series.
     *
     * @return the season with its episodes
     * @throws InvalidInputException for a bad number or name
     * @throws NotFoundException for an unknown title
     * @throws ConflictException on a movie
     */
    public TitleDetail.SeasonView createSeason(UUID titleId, SeasonInput in) {
        in.validate();
        UUID seasonId = jdbi.inTransaction(h -> ensureSeason(h, titleId, in.number(), in.name()));
        return title(titleId, true).seasons().stream().filter(s -> s.id().equals(seasonId)).findFirst().orElseThrow();
    }

    /**
     * Deletes a season with its episodes.
     *
     * @throws NotFoundException for an unknown season
     * @throws ConflictException while one of its episodes is published
     */
    public void deleteSeason(UUID seasonId) {
        jdbi.useTransaction(h -> {
            seasons.lock(h, seasonId).orElseThrow(() -> new NotFoundException("no season " + seasonId));
            if (media.countPublishedInSeason(h, seasonId) > 0) {
                throw new ConflictException("season " + seasonId + " has published episodes");
            }
            seasons.delete(h, seasonId);
        });
    }

    // ---- media items --------------------------------------------------------------------------------------

    /**
     * @param packagedTitleId a folder under {@code media.root}
     * @return the media item packaged into it, if any
     */
    public Optional<MediaRow> mediaInFolder(String packagedTitleId) {
        return jdbi.withHandle(h -> media.ownerOfFolder(h, packagedTitleId)).flatMap(this::media);
    }

    /**
     * @param id a media item
     * @return it, in any state, if it exists
     */
    public Optional<MediaRow> media(UUID id) {
        return media.media(id);
    }

    /** @return those of {@code ids} that exist, by id, in any state */
    public Map<UUID, MediaRow> media(List<UUID> ids) {
        Map<UUID, MediaRow> out = new HashMap<>();
        jdbi.withHandle(h -> media.media(h, ids)).forEach(m -> out.put(m.id(), m));
        return out;
    }

    /**
     * @return the media item as a viewer may see it: any to {@code catalog.write}, published ones to others
     * @throws NotFoundException otherwise (an unpublished item does not exist for a viewer)
     */
    public MediaRow visibleMedia(UUID id, boolean admin) {
        return media.media(id).filter(m -> admin || m.state() == MediaState.PUBLISHED)
                .orElseThrow(() -> MediaLifecycle.mediaNotFound(id));
    }

    /**
     * Creates a media item under a title: a movie's feature, or an episode of a series (its season is created
     * when missing). It starts {@code uploaded}, or {@code ready} when {@link MediaInput#packaged()}.
     *
     * @throws NotFoundException for an unknown title
     * @throws InvalidInputException for invalid fields, or an episode without a season number
     * @throws ConflictException for a second feature of a movie, an episode on a movie, or a duplicate episode number
     *                           or packaged title id
     */
    public MediaRow createMedia(UUID titleId, MediaInput in) {
        in.validate();
        UUID id = UUID.randomUUID();
        MediaRow created = jdbi.inTransaction(h -> {
            String kind = titles.kind(h, titleId, true).orElseThrow(() -> titleNotFound(titleId));
            UUID seasonId = null;
            if (kind.equals("movie")) {
                if (in.seasonNumber() != null || in.episodeNumber() != null) {
                    throw new ConflictException("title " + titleId + " is a movie; it has no seasons or episodes");
                }
                if (media.countOfTitle(h, titleId) > 0) {
                    throw new ConflictException("movie " + titleId + " already has its media item");
                }
            } else {
                if (in.seasonNumber() == null) {
                    throw InvalidInputException.of("seasonNumber", "is required for an episode of a series");
                }
                seasonId = seasons.upsert(h, titleId, in.seasonNumber(), null);
                if (in.episodeNumber() != null && media.episodeExists(h, seasonId, in.episodeNumber())) {
                    throw new ConflictException("season " + in.seasonNumber() + " already has episode " + in.episodeNumber());
                }
            }
            String folder = in.packagedTitleId() != null ? in.packagedTitleId() : "m-" + id;
            requireFreeFolder(h, folder, id);
            media.insert(h, id, titleId, seasonId, in, folder,
                    Boolean.TRUE.equals(in.packaged()) ? MediaState.READY : MediaState.UPLOADED);
            return media.media(h, id, false).orElseThrow();
        });
        changed(titleId);
        return created;
    }

    /**
     * Replaces a media item's metadata (not its state, source or place in the title).
     *
     * @throws NotFoundException for an unknown item
     * @throws InvalidInputException for invalid fields
     * @throws ConflictException for a packaged title id in use, or a change of folder while published or packaging
     */
    public MediaRow replaceMedia(UUID id, MediaInput in) {
        in.validate();
        MediaRow replaced = jdbi.inTransaction(h -> {
            MediaRow m = media.media(h, id, true).orElseThrow(() -> MediaLifecycle.mediaNotFound(id));
            String folder = in.packagedTitleId() != null ? in.packagedTitleId() : m.packagedTitleId();
            if (!folder.equals(m.packagedTitleId())) {
                lifecycle.requireFolderChangeable(m);
                requireFreeFolder(h, folder, id);
            }
            media.updateMetadata(h, m, in, folder);
            return media.media(h, id, false).orElseThrow();
        });
        changed(replaced.titleId());
        return replaced;
    }

    /**
     * Deletes a media item.
     *
     * @throws NotFoundException for an unknown item
     * @throws ConflictException while published or packaging
     */
    public void deleteMedia(UUID id) {
        UUID titleId = jdbi.inTransaction(h -> {
            MediaRow m = media.media(h, id, true).orElseThrow(() -> MediaLifecycle.mediaNotFound(id));
            lifecycle.requireDeletable(m);
            media.delete(h, id);
            return m.titleId();
        });
        changed(titleId);
    }

    private void requireFreeFolder(Handle h, String folder, UUID self) {
        Optional<UUID> owner = media.ownerOfFolder(h, folder);
        if (owner.isPresent() && !owner.get().equals(self)) {
            throw new ConflictException("packaged title id '" + folder + "' is used by media " + owner.get());
        }
    }

    /** @return the exception for an unknown title */
    public static NotFoundException titleNotFound(UUID id) {
        return new NotFoundException("no title " + id);
    }
}
