package dev.kino.control.recommend;

import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.Validation;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.TitleFacts;
import dev.kino.control.catalog.TitleSummary;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.playback.Plans;
import dev.kino.control.recommend.RecommendStore.Ranked;
import dev.kino.control.recommend.RecommendStore.ShelfRow;
import dev.kino.control.recommend.RecommendTypes.Shelf;
import dev.kino.control.recommend.RecommendTypes.ShelfKind;
import dev.kino.control.recommend.RecommendTypes.Shelves;
import dev.kino.control.recommend.RecommendTypes.SimilarTitles;
import dev.kino.control.recommend.RecommendTypes.Taste;
import dev.kino.control.recommend.RecommendTypes.TasteInput;
import dev.kino.control.recommend.RecommendTypes.TitleList;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The recommendations feature's API: reads what {@link RecommendJob} stored and keeps, per caller, only titles the
 * caller may see and play (published; rated at most the caller's maturity setting; with a media item its plan plays:
 * {@code free} for guests, {@code free} or {@code registered} for accounts without an active plan, any with one, and
 * any for {@code catalog.write}). Stores taste picks. A few indexed reads per request, no model work.
 */
public final class Recommendations {
    /** Titles per shelf by default. */
    public static final int SHOWN = 20;
    /** Most titles one list returns. */
    public static final int MAX_LIMIT = 50;

    private final RecommendStore store;
    private final Catalog catalog;
    private final Plans plans;
    private final Clock clock;

    public Recommendations(RecommendStore store, Catalog catalog, Plans plans, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.plans = plans;
        this.clock = clock;
    }

    /** A shelf before filtering: kind, anchor or genre, candidate titles best first. */
    private record Draft(ShelfKind kind, UUID anchor, String genre, List<UUID> titles) {
    }

    /**
     * The caller's shelves: what the job computed from its history, else (a new account) what its taste picks give,
     * else trending only. Trending is always among them, without the titles the caller has a signal for (as of the
     * job's last run) or picked.
     *
     * @param v a signed-in caller
     * @return the shelves, in display order; shelves left empty by the filters are left out
     */
    public Shelves shelves(Viewer v) {
        Optional<RecommendStore.AccountShelves> stored = store.shelves(v.profileId());
        List<Draft> personal = new ArrayList<>();
        String basis;
        Instant computedAt = stored.map(RecommendStore.AccountShelves::computedAt).orElse(null);
        if (stored.isPresent() && !stored.get().rows().isEmpty()) {
            basis = "history";
            Map<Integer, Draft> byPosition = new LinkedHashMap<>();
            for (ShelfRow r : stored.get().rows()) {
                byPosition.computeIfAbsent(r.position(), p -> new Draft(ShelfKind.ofWire(r.kind()), r.anchorId(), r.genre(),
                        new ArrayList<>())).titles().add(r.titleId());
            }
            personal.addAll(byPosition.values());
        } else {
            Optional<RecommendStore.StoredTaste> taste = store.taste(v.profileId());
            if (taste.isPresent() && !(taste.get().genres().isEmpty() && taste.get().titleIds().isEmpty())) {
                basis = "taste";
                personal.addAll(fromTaste(taste.get()));
            } else {
                basis = "trending";
            }
        }
        Set<UUID> known = new HashSet<>(stored.map(RecommendStore.AccountShelves::known).orElse(List.of()));
        store.taste(v.profileId()).ifPresent(t -> known.addAll(t.titleIds()));
        Draft trending = new Draft(ShelfKind.TRENDING, null, null,
                store.trending(RecommendJob.TRENDING_KEPT).stream().map(Ranked::titleId).filter(id -> !known.contains(id))
                        .toList());
        // display order: for you, because #1, trending, the rest
        List<Draft> order = new ArrayList<>();
        List<Draft> rest = new ArrayList<>(personal);
        rest.stream().filter(d -> d.kind() == ShelfKind.RECOMMENDED_FOR_YOU).findFirst().ifPresent(d -> {
            order.add(d);
            rest.remove(d);
        });
        rest.stream().filter(d -> d.kind() == ShelfKind.BECAUSE_YOU_WATCHED).findFirst().ifPresent(d -> {
            order.add(d);
            rest.remove(d);
        });
        order.add(trending);
        order.addAll(rest);
        Set<UUID> ids = new LinkedHashSet<>();
        order.forEach(d -> {
            ids.addAll(d.titles());
            if (d.anchor() != null) {
                ids.add(d.anchor());
            }
        });
        Map<UUID, TitleSummary> shown = playable(v, new ArrayList<>(ids));
        List<Shelf> shelves = new ArrayList<>();
        for (Draft d : order) {
            List<TitleSummary> items = d.titles().stream().map(shown::get).filter(t -> t != null).limit(SHOWN).toList();
            if (items.isEmpty()) {
                continue;
            }
            TitleSummary anchor = d.anchor() == null ? null : shown.get(d.anchor());
            if (d.kind() == ShelfKind.BECAUSE_YOU_WATCHED && anchor == null) {
                continue;
            }
            shelves.add(new Shelf(d.kind().wire(), heading(d, anchor), anchor, d.genre(), items));
        }
        return new Shelves(basis, computedAt, shelves);
    }

    private static String heading(Draft d, TitleSummary anchor) {
        return switch (d.kind()) {
            case RECOMMENDED_FOR_YOU -> "Recommended for you";
            case BECAUSE_YOU_WATCHED -> "Because you watched " + name(anchor);
            case TRENDING -> "Trending";
            case TOP_RATED_IN_GENRE -> "Top rated in " + d.genre();
        };
    }

    private static String name(TitleSummary t) {
        String en = t.titles().get("en");
        return en != null ? en : t.originalTitle();
    }

    /**
     * Shelves from taste picks alone (before the job has run for the account): titles similar to the picked ones,
     * best-ranked first across picks, then trending titles of the picked genres; and top rated in the first genre.
     */
    private List<Draft> fromTaste(RecommendStore.StoredTaste taste) {
        Map<UUID, Double> score = new HashMap<>();
        Map<UUID, List<Ranked>> similar = store.similar(taste.titleIds(), RecommendJob.SIMILAR_KEPT);
        similar.values().forEach(list -> {
            for (int r = 0; r < list.size(); r++) {
                score.merge(list.get(r).titleId(), 1.0 / (r + 1), Double::sum);
            }
        });
        Set<UUID> picked = new HashSet<>(taste.titleIds());
        List<UUID> forYou = new ArrayList<>(score.keySet().stream().filter(id -> !picked.contains(id))
                .sorted((a, b) -> score.get(a).equals(score.get(b)) ? a.compareTo(b) : Double.compare(score.get(b), score.get(a)))
                .toList());
        List<Draft> out = new ArrayList<>();
        if (!taste.genres().isEmpty()) {
            List<UUID> trending = store.trending(RecommendJob.TRENDING_KEPT).stream().map(Ranked::titleId)
                    .filter(id -> !picked.contains(id) && !forYou.contains(id)).toList();
            Set<String> genres = new HashSet<>(taste.genres());
            Map<UUID, TitleFacts> facts = new HashMap<>();
            catalog.titleFacts(trending).forEach(f -> facts.put(f.id(), f));
            trending.stream().filter(id -> facts.containsKey(id) && facts.get(id).genres().stream().anyMatch(genres::contains))
                    .forEach(forYou::add);
            String genre = taste.genres().get(0);
            out.add(new Draft(ShelfKind.TOP_RATED_IN_GENRE, null, genre,
                    store.topRated(genre, RecommendJob.TOP_RATED_KEPT).stream().map(Ranked::titleId)
                            .filter(id -> !picked.contains(id)).toList()));
        }
        out.add(0, new Draft(ShelfKind.RECOMMENDED_FOR_YOU, null, null, forYou));
        return out;
    }

    /**
     * Titles like one title.
     *
     * @param v the caller (a guest too)
     * @param limit most titles, 1 to {@value #MAX_LIMIT}
     * @throws NotFoundException for a title the caller cannot see
     */
    public SimilarTitles similar(Viewer v, UUID titleId, int limit) {
        catalog.requireVisibleTitle(titleId, v.can(Viewer.CATALOG_WRITE));
        List<UUID> ids = store.similar(titleId, RecommendJob.SIMILAR_KEPT).stream().map(Ranked::titleId).toList();
        Map<UUID, TitleSummary> shown = playable(v, ids);
        return new SimilarTitles(titleId, ids.stream().map(shown::get).filter(t -> t != null).limit(limit).toList());
    }

    /**
     * Trending titles.
     *
     * @param v the caller (a guest too)
     * @param genre only titles of this genre (case-insensitive), or null
     * @param limit most titles, 1 to {@value #MAX_LIMIT}
     */
    public TitleList trending(Viewer v, String genre, int limit) {
        List<UUID> ids = store.trending(RecommendJob.TRENDING_KEPT).stream().map(Ranked::titleId).toList();
        Map<UUID, TitleSummary> shown = playable(v, ids);
        String g = genre == null ? null : genre.toLowerCase(java.util.Locale.ROOT);
        return new TitleList(ids.stream().map(shown::get).filter(t -> t != null && (g == null || t.genres().contains(g)))
                .limit(limit).toList());
    }

    /** @return the account's taste picks (empty lists if never set) and the genres to pick from */
    public Taste taste(UUID accountId) {
        Optional<RecommendStore.StoredTaste> t = store.taste(accountId);
        return new Taste(t.map(RecommendStore.StoredTaste::genres).orElse(List.of()),
                t.map(RecommendStore.StoredTaste::titleIds).orElse(List.of()),
                t.map(RecommendStore.StoredTaste::updatedAt).orElse(null), store.genres());
    }

    /**
     * Replaces the caller's taste picks.
     *
     * @throws InvalidInputException for bad genres, too many picks, or a title the caller cannot see
     *                               ({@code titleIds[i]})
     */
    public Taste setTaste(Viewer v, TasteInput input) {
        TasteInput in = input == null ? new TasteInput(List.of(), List.of()).normalised() : input.normalised();
        Map<UUID, TitleSummary> visible = catalog.visibleTitles(in.titleIds(), v.can(Viewer.CATALOG_WRITE));
        Validation val = new Validation();
        for (int i = 0; i < in.titleIds().size(); i++) {
            val.check("titleIds[" + i + "]", visible.containsKey(in.titleIds().get(i)), "is not a title you can see");
        }
        val.throwIfInvalid();
        store.saveTaste(v.profileId(), in.genres(), in.titleIds(), clock.instant());
        return taste(v.profileId());
    }

    /** @return those of {@code ids} the caller may see and play, in the list shape, by id */
    Map<UUID, TitleSummary> playable(Viewer v, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        boolean admin = v.can(Viewer.CATALOG_WRITE);
        boolean plan = admin || (!v.isGuest() && plans.hasActivePlan(v.accountId()));
        Predicate<TitleFacts> ok = f -> f.published() && f.minAge() <= v.maxAge()
                && (f.publishedAccess().contains("free")
                || (!v.isGuest() && f.publishedAccess().contains("registered"))
                || (plan && f.publishedAccess().contains("subscription")));
        List<UUID> allowed = catalog.titleFacts(ids).stream().filter(ok).map(TitleFacts::id).toList();
        return catalog.visibleTitles(allowed, false);
    }
}
