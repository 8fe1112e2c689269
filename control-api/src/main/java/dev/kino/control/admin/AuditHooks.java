package dev.kino.control.admin;

import dev.kino.control.NotFoundException;
import dev.kino.control.auth.AuthenticatedUser;
import dev.kino.control.auth.Permissions;
import dev.kino.control.http.Handler;
import dev.kino.control.http.Response;
import dev.kino.control.http.Route;
import dev.kino.control.http.Router;
import io.netty.handler.codec.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.PATCH;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

/**
 * Puts the admin and moderator actions that other features registered into the {@link AuditLog}, by wrapping their
 * routes ({@link Router#decorate}) so those features need not know of the log. A wrapped route reads its target
 * before the action (with the reader of its target type, when there is one), runs, and on a 2xx records the action
 * with the target read again after it (or the response body, for a create or when no reader exists). The record is
 * written right after the action's own transaction commits; when writing it fails the action still answers and the
 * failure is logged at ERROR (the change was made; failing the request would invite a retry of a done action).
 *
 * <p>Routes that authors and moderators share (deleting a comment or a forum post) are recorded only when the caller
 * holds {@code comments.moderate}. New admin routes call {@link AuditLog#record} themselves, in their transaction.
 */
public final class AuditHooks {
    private static final Logger LOG = LoggerFactory.getLogger(AuditHooks.class);

    /**
     * One wrapped route.
     *
     * @param method its method
     * @param template its path template
     * @param action the audit action, {@code <target>.<verb>}
     * @param targetType the target's type, a key of the readers
     * @param param the path parameter naming the target, or null (the target's id is then the response's {@code id})
     * @param when whether this call is recorded (null: always)
     */
    record Hook(HttpMethod method, String template, String action, String targetType, String param,
                Predicate<AuthenticatedUser> when) {
    }

    private static final Predicate<AuthenticatedUser> MODERATING = u -> u.can(Permissions.COMMENTS_MODERATE);

    /** Every admin and moderator route of the other features, with its audit action. */
    static final List<Hook> HOOKS = List.of(
            // roles and accounts (auth, account)
            new Hook(POST, "/api/v1/admin/roles", "role.create", "role", null, null),
            new Hook(DELETE, "/api/v1/admin/roles/{name}", "role.delete", "role", "name", null),
            new Hook(PUT, "/api/v1/admin/users/{id}/roles", "user.roles", "account", "id", null),
            new Hook(PUT, "/api/v1/admin/users/{id}/maturity", "user.maturity", "account", "id", null),
            new Hook(POST, "/api/v1/admin/users/{id}/ban", "user.ban", "account", "id", null),
            new Hook(DELETE, "/api/v1/admin/users/{id}/ban", "user.unban", "account", "id", null),
            // plans and billing
            new Hook(POST, "/api/v1/admin/plans", "plan.create", "plan", null, null),
            new Hook(PUT, "/api/v1/admin/users/{id}/plan", "subscription.assign", "subscription", "id", null),
            new Hook(DELETE, "/api/v1/admin/users/{id}/plan", "subscription.cancel", "subscription", "id", null),
            new Hook(POST, "/api/v1/admin/promotion-codes", "promotion-code.create", "promotion-code", null, null),
            new Hook(DELETE, "/api/v1/admin/promotion-codes/{id}", "promotion-code.withdraw", "promotion-code", "id", null),
            // catalogue
            new Hook(POST, "/api/v1/titles", "title.create", "title", null, null),
            new Hook(PUT, "/api/v1/titles/{id}", "title.update", "title", "id", null),
            new Hook(DELETE, "/api/v1/titles/{id}", "title.delete", "title", "id", null),
            new Hook(POST, "/api/v1/titles/{id}/seasons", "season.create", "title", "id", null),
            new Hook(DELETE, "/api/v1/seasons/{id}", "season.delete", "season", "id", null),
            new Hook(POST, "/api/v1/titles/{id}/media", "media.create", "title", "id", null),
            new Hook(PUT, "/api/v1/media/{id}", "media.update", "media", "id", null),
            new Hook(DELETE, "/api/v1/media/{id}", "media.delete", "media", "id", null),
            new Hook(POST, "/api/v1/media/{id}/source", "media.source", "media", "id", null),
            new Hook(POST, "/api/v1/media/{id}/publish", "media.publish", "media", "id", null),
            new Hook(POST, "/api/v1/media/{id}/unpublish", "media.unpublish", "media", "id", null),
            new Hook(POST, "/api/v1/media/{id}/takedown", "media.takedown", "media", "id", null),
            new Hook(POST, "/api/v1/admin/import", "catalog.import", "import", null, null),
            // packaging jobs
            new Hook(POST, "/api/v1/media/{id}/package", "job.create", "media", "id", null),
            new Hook(POST, "/api/v1/jobs/{id}/cancel", "job.cancel", "job", "id", null),
            new Hook(POST, "/api/v1/jobs/{id}/retry", "job.retry", "job", "id", null),
            // moderation, forum and comments
            new Hook(POST, "/api/v1/moderation/reports/{id}/actions", "moderation.act", "moderation-case", "id", null),
            new Hook(PUT, "/api/v1/moderation/watched-words/{word}", "watched-word.set", "watched-word", "word", null),
            new Hook(DELETE, "/api/v1/moderation/watched-words/{word}", "watched-word.delete", "watched-word", "word", null),
            new Hook(PUT, "/api/v1/moderation/settings", "moderation-settings.update", "moderation-settings", null, null),
            new Hook(POST, "/api/v1/forum/categories", "forum-category.create", "forum-category", null, null),
            new Hook(PUT, "/api/v1/forum/categories/{id}", "forum-category.update", "forum-category", "id", null),
            new Hook(DELETE, "/api/v1/forum/categories/{id}", "forum-category.delete", "forum-category", "id", null),
            new Hook(PATCH, "/api/v1/forum/threads/{id}", "forum-thread.moderate", "forum-thread", "id", null),
            new Hook(DELETE, "/api/v1/forum/posts/{id}", "forum-post.delete", "forum-post", "id", MODERATING),
            new Hook(DELETE, "/api/v1/comments/{id}", "comment.delete", "comment", "id", MODERATING),
            new Hook(PATCH, "/api/v1/comments/{id}", "comment.edit", "comment", "id", MODERATING));

    private AuditHooks() {
    }

    /**
     * Wraps every route of {@link #HOOKS} that this router has; call after every feature registered its routes.
     *
     * @param readers the target's JSON by target type and id (a missing target: null or {@link NotFoundException})
     * @return how many routes were wrapped
     */
    public static int install(Router router, AuditLog audit, Map<String, Function<UUID, Object>> readers) {
        int n = 0;
        for (Hook hook : HOOKS) {
            String op = operationId(router, hook.method(), hook.template());
            if (op == null) {
                continue; // a feature this node does not run (tests' partial routers)
            }
            router.decorate(op, handler -> wrap(handler, hook, audit, readers.get(hook.targetType())));
            n++;
        }
        return n;
    }

    private static String operationId(Router router, HttpMethod method, String template) {
        for (Route r : router.routes()) {
            if (r.method().equals(method) && r.template().equals(template)) {
                return r.doc().operationId();
            }
        }
        return null;
    }

    private static Handler wrap(Handler handler, Hook hook, AuditLog audit, Function<UUID, Object> reader) {
        return req -> {
            AuthenticatedUser actor = req.principal(AuthenticatedUser.class); // every hooked route is authenticated()
            if (hook.when() != null && !hook.when().test(actor)) {
                return handler.handle(req); // not an admin or moderator action (an author deleting their comment)
            }
            String target = hook.param() == null ? null : req.pathParam(hook.param());
            UUID targetUuid = uuid(target);
            Object before = reader == null || targetUuid == null ? null : read(reader, targetUuid);
            Response resp = handler.handle(req);
            if (resp.status() / 100 != 2) {
                return resp;
            }
            try {
                Object body = resp.body() instanceof Response.Bytes ? null : resp.body();
                Object after = reader != null && targetUuid != null ? read(reader, targetUuid) : body;
                if (target == null && body != null) {
                    target = idOf(body);
                }
                audit.record(actor.accountId(), hook.action(), hook.targetType(), target, before, after);
            } catch (RuntimeException e) {
                LOG.error("audit log: {} by {} {} not recorded: {}", hook.action(), req.method(), req.path(), e.toString());
            }
            return resp;
        };
    }

    private static Object read(Function<UUID, Object> reader, UUID id) {
        try {
            return reader.apply(id);
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String idOf(Object body) {
        var node = dev.kino.control.http.Json.MAPPER.valueToTree(body);
        return node != null && node.hasNonNull("id") ? node.get("id").asText() : null;
    }
}
