package dev.kino.control.reputation;

import dev.kino.control.NotFoundException;
import dev.kino.control.account.ProfileStore;
import dev.kino.control.account.ProfileStore.PublicName;
import dev.kino.control.catalog.Access;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.netty.handler.codec.http.HttpMethod.GET;

/**
 * <pre>
 * GET /api/v1/me/reputation          your points, level, next level and recent ledger rows
 * GET /api/v1/reputation/leaders     the accounts with the most points
 * GET /api/v1/users/{username}       a public profile: name, avatar, bio, join date, reputation, recent comments, and
 *                                    what they rated if they allow it (PATCH /me {"showActivity": true})
 * </pre>
 */
public final class ReputationRoutes {
    private static final String TAG = "community";

    private ReputationRoutes() {
    }

    /**
     * @param standing points, level and the next level
     * @param ledger the most recent changes, newest first
     */
    public record MyReputation(Reputation.Standing standing, List<Reputation.Entry> ledger) {
    }

    /**
     * @param username the account's username
     * @param displayName its display name
     * @param points its reputation
     */
    public record LeaderView(String username, String displayName, int points) {
    }

    /**
     * A public profile.
     *
     * @param username username
     * @param displayName display name, if set
     * @param avatarUrl avatar, if set
     * @param bio bio, if set
     * @param joinedAt when the account was made
     * @param reputation points, level and next level
     * @param recentComments the account's latest visible comments (id, title, text), newest first
     * @param ratings titles it rated and the scores, when it shows its activity; absent otherwise
     */
    public record PublicProfile(String username, String displayName, String avatarUrl, String bio, Instant joinedAt,
                                Reputation.Standing reputation, List<Map<String, Object>> recentComments,
                                List<Map<String, Object>> ratings, List<Map<String, Object>> watched) {
    }

    /** What a profile needs from the features that own the data. */
    public interface Activity {
        /** @return the account's latest comments anyone may see: {@code id}, {@code titleId}, {@code body}, {@code createdAt} */
        List<Map<String, Object>> recentComments(UUID account, int limit);

        /** @return published titles the account rated, latest first: {@code titleId}, {@code titleName}, {@code score}, {@code ratedAt} */
        List<Map<String, Object>> ratings(UUID account, int limit);

        /**
         * @return published media items the account played, latest first: {@code titleId}, {@code titleName},
         *         {@code mediaId}, {@code seasonNumber}/{@code episodeNumber} when it has them, {@code watchedAt},
         *         {@code watchedThrough}
         */
        List<Map<String, Object>> watched(UUID account, int limit);
    }

    public static void register(Router router, Reputation reputation, ProfileStore profiles, Activity activity,
                                Access access) {
        router.route(GET, "/api/v1/me/reputation").operationId("getMyReputation").tag(TAG).authenticated()
                .summary("Your reputation: points, level, recent changes").response(200, MyReputation.class)
                .handler(req -> {
                    UUID me = access.viewer(req).accountId();
                    return Response.ok(new MyReputation(reputation.standing(me), reputation.ledger(me, 50)));
                });
        router.route(GET, "/api/v1/reputation/leaders").operationId("getReputationLeaders").tag(TAG)
                .summary("The accounts with the most reputation").response(200, LeaderView[].class)
                .handler(req -> {
                    List<Reputation.Leader> leaders = reputation.leaders(50);
                    Map<UUID, PublicName> names = profiles.publicNames(leaders.stream().map(Reputation.Leader::accountId).toList());
                    List<LeaderView> out = new ArrayList<>();
                    for (Reputation.Leader l : leaders) {
                        PublicName n = names.get(l.accountId());
                        if (n != null) {
                            out.add(new LeaderView(n.username(), n.displayName(), l.points()));
                        }
                    }
                    return Response.ok(out);
                });
        router.route(GET, "/api/v1/users/{username}").operationId("getPublicProfile").tag(TAG)
                .summary("A user's public profile").response(200, PublicProfile.class).errors(404)
                .handler(req -> {
                    String username = req.pathParam("username");
                    UUID id = profiles.idsOfUsernames(List.of(username)).get(username);
                    if (id == null) {
                        throw new NotFoundException("no user " + username);
                    }
                    ProfileStore.PublicProfileRow p = profiles.publicProfile(id).orElseThrow(
                            () -> new NotFoundException("no user " + username));
                    return Response.ok(new PublicProfile(p.username(), p.displayName(), p.avatarUrl(), p.bio(),
                            p.joinedAt(), reputation.standing(id), activity.recentComments(id, 20),
                            p.showActivity() ? activity.ratings(id, 50) : null,
                            p.showActivity() ? activity.watched(id, 20) : null));
                });
    }
}
