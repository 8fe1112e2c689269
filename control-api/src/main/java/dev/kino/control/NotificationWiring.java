package dev.kino.control;

import dev.kino.control.auth.AuthService;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaStore.MediaRow;
import dev.kino.control.catalog.TitleDetail;
import dev.kino.control.comments.Comments;
import dev.kino.control.forum.Forum;
import dev.kino.control.jobs.JobQueue;
import dev.kino.control.moderation.Moderation;
import dev.kino.control.notifications.Notice;
import dev.kino.control.notifications.NotificationType;
import dev.kino.control.notifications.Notifications;
import dev.kino.control.social.SocialStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Connects the features that cause notifications to the notifications feature: who is in each audience, and what
 * publishing an episode, finishing a job or a security event tells whom. Comments, the forum and moderation call
 * {@link Notifications} themselves once installed here.
 */
final class NotificationWiring {
    private NotificationWiring() {
    }

    static void connect(Notifications notifications, Catalog catalog, SocialStore social, Forum forum, Comments comments,
                        Moderation moderation, AuthService auth, JobQueue jobs) {
        // a title's audience: its followers and everyone with it on their watchlist, once each, in account order
        notifications.audience("title", (title, after, limit) -> merge(
                notifications.followers("title", title, after, limit), social.watchers(title, after, limit), limit));
        notifications.audience("thread", forum::followers);
        notifications.audience("user", (user, after, limit) -> notifications.followers("user", user, after, limit));

        comments.notifications(notifications);
        forum.notifications(notifications);
        moderation.notifications(notifications);

        catalog.lifecycle().onPublished((media, firstOfTitle) -> published(notifications, catalog, media, firstOfTitle));
        jobs.onFinished((job, media, createdBy, succeeded, error) -> notifications.notify(createdBy, new Notice(
                NotificationType.JOB, null, "job", job, null,
                succeeded ? "Packaging finished: the media item is ready to publish"
                        : "Packaging failed: " + (error == null ? "see the job's log" : Notice.excerpt(error)),
                "/admin", Map.of("mediaId", media.toString(), "succeeded", succeeded))));
        auth.securityNotices((account, event, text) -> notifications.notify(account, new Notice(
                NotificationType.SECURITY, null, "account", account, null, text, "/account", Map.of("event", event))));
    }

    private static void published(Notifications notifications, Catalog catalog, MediaRow m, boolean firstOfTitle) {
        TitleDetail t = catalog.title(m.titleId(), true);
        String name = t.titles() != null && t.titles().get("en") != null ? t.titles().get("en") : t.originalTitle();
        String episode = m.episodeNumber() == null ? "" : " S" + (m.seasonNumber() == null ? 1 : m.seasonNumber())
                + "E" + m.episodeNumber() + (m.name() == null ? "" : " " + m.name());
        Notice notice = firstOfTitle
                ? new Notice(NotificationType.TITLE_PUBLISHED, null, "title", m.titleId(), null,
                        name + " is out: watch it now", "/title/" + m.titleId(), Map.of("titleName", name))
                : new Notice(NotificationType.NEW_EPISODE, null, "media", m.id(), null,
                        "New on " + name + ":" + (episode.isEmpty() ? " " + (m.name() == null ? "a new video" : m.name()) : episode),
                        "/watch/" + m.titleId() + "/" + m.id(), Map.of("titleName", name, "titleId", m.titleId().toString()));
        notifications.notifyAudience("title", m.titleId(), null, notice);
    }

    /** @return the first {@code limit} of two ascending lists merged, without repeats */
    static List<UUID> merge(List<UUID> a, List<UUID> b, int limit) {
        TreeSet<UUID> all = new TreeSet<>(NotificationWiring::compare);
        all.addAll(a);
        all.addAll(b);
        List<UUID> out = new ArrayList<>(all);
        return out.size() <= limit ? out : out.subList(0, limit);
    }

    /** PostgreSQL's uuid order: the 16 bytes as unsigned, most significant first (Java's compareTo is signed). */
    static int compare(UUID x, UUID y) {
        int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
    }
}
