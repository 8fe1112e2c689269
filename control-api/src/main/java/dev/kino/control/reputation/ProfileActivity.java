package dev.kino.control.reputation;

import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaStore.MediaRow;
import dev.kino.control.catalog.TitleSummary;
import dev.kino.control.comments.Comments;
import dev.kino.control.playback.Plans;
import dev.kino.control.ratings.Ratings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a public profile shows of an account's activity, each part from the feature that owns it and only about
 * titles anyone may see (published): a profile never reveals that an unpublished title exists.
 */
public final class ProfileActivity implements ReputationRoutes.Activity {
    /** Share of a media item's duration from which it counts as watched through on a profile. */
    static final double WATCHED_THROUGH = 0.9;

    private final Comments comments;
    private final Ratings ratings;
    private final Plans plans;
    private final Catalog catalog;

    public ProfileActivity(Comments comments, Ratings ratings, Plans plans, Catalog catalog) {
        this.comments = comments;
        this.ratings = ratings;
        this.plans = plans;
        this.catalog = catalog;
    }

    @Override
    public List<Map<String, Object>> recentComments(UUID account, int limit) {
        return comments.recentPublic(account, limit);
    }

    @Override
    public List<Map<String, Object>> ratings(UUID account, int limit) {
        List<Map<String, Object>> rated = ratings.ratedBy(account, limit);
        Map<UUID, TitleSummary> visible = catalog.visibleTitles(
                rated.stream().map(r -> (UUID) r.get("titleId")).distinct().toList(), false);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rated) {
            TitleSummary t = visible.get((UUID) r.get("titleId"));
            if (t != null) {
                Map<String, Object> m = new LinkedHashMap<>(r);
                m.put("titleName", t.originalTitle());
                out.add(m);
            }
        }
        return out;
    }

    @Override
    public List<Map<String, Object>> watched(UUID account, int limit) {
        List<Plans.Progress> progress = plans.progressOfPrimary(account, limit * 2);
        Map<UUID, MediaRow> media = catalog.media(progress.stream().map(Plans.Progress::mediaId).toList());
        Map<UUID, TitleSummary> titles = catalog.visibleTitles(
                media.values().stream().map(MediaRow::titleId).distinct().toList(), false);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Plans.Progress p : progress) {
            MediaRow m = media.get(p.mediaId());
            TitleSummary t = m == null ? null : titles.get(m.titleId());
            if (t == null || m.state() != dev.kino.control.catalog.MediaState.PUBLISHED || out.size() >= limit) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("titleId", t.id());
            row.put("titleName", t.originalTitle());
            row.put("mediaId", m.id());
            if (m.seasonNumber() != null) {
                row.put("seasonNumber", m.seasonNumber());
            }
            if (m.episodeNumber() != null) {
                row.put("episodeNumber", m.episodeNumber());
            }
            row.put("watchedAt", p.updatedAt());
            row.put("watchedThrough", m.durationSeconds() != null && m.durationSeconds() > 0
                    && p.positionSeconds() >= WATCHED_THROUGH * m.durationSeconds());
            out.add(row);
        }
        return out;
    }
}
