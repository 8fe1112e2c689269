package dev.kino.control.ratings;

import dev.kino.control.ActionLimits;
import dev.kino.control.InvalidInputException;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.ratings.RatingTypes.RatingSummary;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns {@code ratings} and {@code rating_stats}. A vote, the title's statistics and the catalogue's copy of its count
 * and sum ({@link Catalog#ratingChanged}) change in one transaction, the statistics row locked, so they stay exact under
 * concurrent votes. Whether the title exists and is visible is for the routes to check first.
 */
public final class Ratings {
    private final Jdbi jdbi;
    private final Clock clock;
    private final Catalog catalog;
    private final ActionLimits limits;

    public Ratings(Jdbi jdbi, Clock clock, Catalog catalog, ActionLimits limits) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.catalog = catalog;
        this.limits = limits;
    }

    /**
     * Sets a viewer profile's score for a title (replacing an earlier one). Votes are per profile; the rate limit is
     * the account's (more profiles give no more votes per minute).
     *
     * @param accountId the account voting as its primary profile (and whose rate limit applies)
     * @param score 1 to 10
     * @throws InvalidInputException for a score out of range
     * @throws dev.kino.control.RateLimitedException over the reactions limit (votes share it)
     */
    public RatingSummary rate(UUID titleId, UUID accountId, int score) {
        UUID primary = jdbi.withHandle(h -> h.createQuery("select id from profiles where account_id = :a and is_primary")
                .bind("a", accountId).mapTo(UUID.class).one());
        return rate(titleId, accountId, primary, score);
    }

    /**
     * Sets a viewer profile's score for a title, as {@link #rate(UUID, UUID, int)}.
     *
     * @param accountId the account (rate limit)
     * @param profileId the viewer profile voting, one of the account's
     */
    public RatingSummary rate(UUID titleId, UUID accountId, UUID profileId, int score) {
        if (score < 1 || score > 10) {
            throw InvalidInputException.of("score", "must be an integer from 1 to 10");
        }
        limits.hit(dev.kino.control.reactions.Reactions.LIMIT, accountId);
        jdbi.useTransaction(h -> {
            Stats stats = lockStats(h, titleId);
            Optional<Integer> before = h.createQuery("select score from ratings where title_id = :t and profile_id = :p"
                            + " for update").bind("t", titleId).bind("p", profileId).mapTo(Integer.class).findOne();
            Timestamp now = Timestamp.from(clock.instant());
            if (before.isPresent()) {
                h.createUpdate("update ratings set score = :s, updated_at = :now where title_id = :t and profile_id = :p")
                        .bind("s", score).bind("now", now).bind("t", titleId).bind("p", profileId).execute();
            } else {
                h.createUpdate("insert into ratings (title_id, account_id, profile_id, score, created_at, updated_at)"
                                + " values (:t, :a, :p, :s, :now, :now)")
                        .bind("s", score).bind("now", now).bind("t", titleId).bind("a", accountId)
                        .bind("p", profileId).execute();
            }
            save(h, titleId, before.isPresent() ? stats.without(before.get()).with(score) : stats.with(score));
        });
        return summary(titleId, profileId);
    }

    /** Removes a viewer profile's score for a title, if any (idempotent). */
    public RatingSummary remove(UUID titleId, UUID profileId) {
        jdbi.useTransaction(h -> {
            Stats stats = lockStats(h, titleId);
            h.createQuery("delete from ratings where title_id = :t and profile_id = :p returning score")
                    .bind("t", titleId).bind("p", profileId).mapTo(Integer.class).findOne()
                    .ifPresent(old -> save(h, titleId, stats.without(old)));
        });
        return summary(titleId, profileId);
    }

    /**
     * Takes away every score of the profiles (before they are deleted), keeping the titles' figures right.
     *
     * @param h the caller's transaction (the profiles' deletion)
     */
    public void removeAllOf(Handle h, List<UUID> profileIds) {
        List<Map.Entry<UUID, Integer>> rows = h.createQuery("select title_id, score from ratings"
                        + " where profile_id = any(:p) order by title_id")
                .bindArray("p", UUID.class, profileIds.toArray())
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getInt(2))).list();
        for (Map.Entry<UUID, Integer> r : rows) {
            Stats stats = lockStats(h, r.getKey());
            save(h, r.getKey(), stats.without(r.getValue()));
        }
        h.createUpdate("delete from ratings where profile_id = any(:p)").bindArray("p", UUID.class, profileIds.toArray())
                .execute();
    }

    /**
     * @param viewer the caller's viewer profile, null for a guest
     * @return the title's figures and the caller's score
     */
    public RatingSummary summary(UUID titleId, UUID viewer) {
        Stats stats = jdbi.withHandle(h -> h.createQuery("select count, sum, distribution from rating_stats"
                        + " where title_id = :t").bind("t", titleId).map((rs, ctx) -> Stats.of(rs.getInt(1),
                        rs.getLong(2), rs.getArray(3))).findOne()).orElse(Stats.EMPTY);
        Integer mine = viewer == null ? null : jdbi.withHandle(h -> h.createQuery(
                        "select score from ratings where title_id = :t and profile_id = :a")
                .bind("t", titleId).bind("a", viewer).mapTo(Integer.class).findOne().orElse(null));
        return new RatingSummary(stats.count, stats.count == 0 ? null : (double) stats.sum / stats.count,
                catalog.weightedRating(stats.count, stats.sum), stats.distribution, mine);
    }

    /**
     * @return titles an account's primary profile (the account holder; what its public profile shows) rated, latest
     *         first: {@code titleId}, {@code score}, {@code ratedAt}
     */
    public List<java.util.Map<String, Object>> ratedBy(UUID account, int limit) {
        return ratedBy("(select id from profiles where account_id = :a and is_primary)", account, limit);
    }

    /** @return titles a viewer profile rated, latest first, as {@link #ratedBy(UUID, int)} */
    public List<java.util.Map<String, Object>> ratedByProfile(UUID profileId, int limit) {
        return ratedBy(":a", profileId, limit);
    }

    private List<java.util.Map<String, Object>> ratedBy(String profile, UUID id, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select title_id, score, updated_at from ratings where profile_id = "
                        + profile + " order by updated_at desc limit :n").bind("a", id).bind("n", limit)
                .map((rs, ctx) -> {
                    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                    m.put("titleId", rs.getObject(1, UUID.class));
                    m.put("score", rs.getInt(2));
                    m.put("ratedAt", rs.getTimestamp(3).toInstant());
                    return m;
                }).list());
    }

    /**
     * A score, as the recommendations job reads them.
     *
     * @param accountId who voted: the viewer profile (recommendations are per profile)
     * @param titleId the title
     * @param score 1 to 10
     * @param at when it was last set
     */
    public record RatingSignal(UUID accountId, UUID titleId, int score, java.time.Instant at) {
    }

    /**
     * Every score, a page at a time in (title, profile) order.
     *
     * @param afterTitle with {@code afterAccount}, the last row of the previous page, or null to start
     * @param afterAccount the last row's account, or null to start
     * @param limit most rows returned
     */
    public List<RatingSignal> ratingSignals(UUID afterTitle, UUID afterAccount, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select profile_id, title_id, score, updated_at from ratings
                         where cast(:t as uuid) is null or (title_id, profile_id) > (cast(:t as uuid), cast(:a as uuid))
                         order by title_id, profile_id limit :n""")
                .bind("t", afterTitle).bind("a", afterAccount).bind("n", limit)
                .map((rs, ctx) -> new RatingSignal(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3),
                        rs.getTimestamp(4).toInstant()))
                .list());
    }

    private static Stats lockStats(Handle h, UUID titleId) {
        h.createUpdate("insert into rating_stats (title_id) values (:t) on conflict do nothing").bind("t", titleId).execute();
        return h.createQuery("select count, sum, distribution from rating_stats where title_id = :t for update")
                .bind("t", titleId).map((rs, ctx) -> Stats.of(rs.getInt(1), rs.getLong(2), rs.getArray(3))).one();
    }

    private void save(Handle h, UUID titleId, Stats s) {
        h.createUpdate("update rating_stats set count = :c, sum = :s, distribution = :d where title_id = :t")
                .bind("c", s.count).bind("s", s.sum).bindArray("d", Integer.class, s.distribution.toArray())
                .bind("t", titleId).execute();
        catalog.ratingChanged(h, titleId, s.count, s.sum);
    }

    /** A title's vote count, score sum and votes per score. */
    private record Stats(int count, long sum, List<Integer> distribution) {
        static final Stats EMPTY = new Stats(0, 0, List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));

        static Stats of(int count, long sum, Array distribution) throws SQLException {
            List<Integer> d = new ArrayList<>();
            for (Object o : (Object[]) distribution.getArray()) {
                d.add(((Number) o).intValue());
            }
            return new Stats(count, sum, List.copyOf(d));
        }

        Stats with(int score) {
            List<Integer> d = new ArrayList<>(distribution);
            d.set(score - 1, d.get(score - 1) + 1);
            return new Stats(count + 1, sum + score, List.copyOf(d));
        }

        Stats without(int score) {
            List<Integer> d = new ArrayList<>(distribution);
            d.set(score - 1, d.get(score - 1) - 1);
            return new Stats(count - 1, sum - score, List.copyOf(d));
        }
    }
}
