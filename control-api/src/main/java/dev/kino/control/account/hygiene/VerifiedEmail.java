package dev.kino.control.account.hygiene;

import dev.kino.control.EmailUnverifiedException;
import dev.kino.control.auth.AccountStore;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.http.Router;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code control.requireVerifiedEmail}: the acts it lists answer 403 {@code email-unverified} to an account that has not
 * confirmed its e-mail address. The guard wraps those features' routes by operation id ({@link Router#decorate}), so
 * comments, the forum and billing need not know of it.
 *
 * <table>
 *   <caption>Acts and their routes</caption>
 *   <tr><th>act</th><th>routes</th></tr>
 *   <tr><td>{@code comment}</td><td>{@code POST /api/v1/titles/{id}/comments}, {@code POST /api/v1/media/{id}/comments}
 *       (comments and replies)</td></tr>
 *   <tr><td>{@code forum}</td><td>{@code POST /api/v1/forum/categories/{id}/threads},
 *       {@code POST /api/v1/forum/threads/{id}/posts}</td></tr>
 *   <tr><td>{@code checkout}</td><td>{@code POST /api/v1/billing/checkout}</td></tr>
 * </table>
 */
public final class VerifiedEmail {
    /** The routes (operation ids) of each act. */
    static final Map<String, List<String>> OPERATIONS = Map.of(
            "comment", List.of("createTitleComment", "createMediaComment"),
            "forum", List.of("createForumThread", "createForumPost"),
            "checkout", List.of("createCheckout"));

    private VerifiedEmail() {
    }

    /**
     * Guards the routes of {@code acts}; call after every feature registered its routes.
     *
     * @param acts names from {@code control.requireVerifiedEmail}
     * @throws IllegalArgumentException for an unknown act or a route that is missing
     */
    public static void install(Router router, Set<String> acts, AccountStore accounts) {
        for (String act : acts) {
            List<String> ops = OPERATIONS.get(act);
            if (ops == null) {
                throw new IllegalArgumentException("unknown act " + act + "; known: " + OPERATIONS.keySet());
            }
            for (String op : ops) {
                router.decorate(op, handler -> req -> {
                    UUID account = req.principal(AuthenticatedUser.class).accountId();
                    if (!accounts.emailVerified(account)) {
                        throw new EmailUnverifiedException("confirm your e-mail address first (" + act + " needs it):"
                                + " follow the link we mailed you, or ask for another with"
                                + " POST /api/v1/me/email/verification");
                    }
                    return handler.handle(req);
                }, 403);
            }
        }
    }
}
