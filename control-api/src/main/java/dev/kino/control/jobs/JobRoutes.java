package dev.kino.control.jobs;

import dev.kino.common.packaging.Protection;
import dev.kino.control.InvalidInputException;
import dev.kino.control.NotFoundException;
import dev.kino.control.auth.Permissions;
import dev.kino.control.catalog.Access;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Page;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import io.netty.handler.codec.http.HttpMethod;

import java.util.Set;
import java.util.UUID;

/**
 * Packaging job routes, all for {@code catalog.write}:
 *
 * <pre>
 * POST /api/v1/media/{id}/package   queue packaging {ladder?, protection?, maxAttempts?} → 202 job
 * GET  /api/v1/jobs                 ?state= &amp;mediaId= , newest first, paged
 * GET  /api/v1/jobs/{id}            state, attempts, progress, lease
 * GET  /api/v1/jobs/{id}/log        log lines, oldest first, paged
 * POST /api/v1/jobs/{id}/cancel     queued: cancelled now; running: at the worker's next heartbeat
 * POST /api/v1/jobs/{id}/retry      failed or cancelled → queued, attempts reset
 * </pre>
 */
public final class JobRoutes {
    private static final String TAG = "jobs";
    private static final Set<String> STATES = Set.of("queued", "running", "succeeded", "failed", "cancelled");

    private JobRoutes() {
    }

    /**
     * @param defaultProtection {@code packager.protection}
     */
    public static void register(Router router, JobQueue queue, Protection defaultProtection, Access access) {
        router.route(HttpMethod.POST, "/api/v1/media/{id}/package").operationId("packageMedia").tag(TAG).authenticated()
                .summary("Queue packaging of a media item's source").request(JobQueue.JobInput.class)
                .response(202, JobView.class).errors(403, 404, 409)
                .handler(req -> {
                    Viewer v = access.require(req, Viewer.CATALOG_WRITE);
                    return Response.accepted(queue.enqueue(req.pathUuid("id"), req.body(JobQueue.JobInput.class),
                            defaultProtection, v.accountId()));
                });
        router.route(HttpMethod.GET, "/api/v1/jobs").operationId("listJobs").tag(TAG).authenticated()
                .summary("Packaging jobs, newest first").page(JobView.class)
                .query("state", "string", "queued, running, succeeded, failed or cancelled")
                .query("mediaId", "string", "only jobs of this media item").errors(400, 403, 422)
                .handler(req -> {
                    Viewer v = access.require(req, Viewer.CATALOG_WRITE);
                    String state = req.query("state");
                    if (state != null && !STATES.contains(state)) {
                        throw InvalidInputException.of("state", "must be one of queued, running, succeeded, failed, cancelled");
                    }
                    UUID media = null;
                    if (req.query("mediaId") != null) {
                        try {
                            media = UUID.fromString(req.query("mediaId"));
                        } catch (IllegalArgumentException e) {
                            throw InvalidInputException.of("mediaId", "must be a UUID");
                        }
                    }
                    return Response.ok(queue.list(state, media, scope(v), Page.request(req)));
                });
        router.route(HttpMethod.GET, "/api/v1/jobs/{id}").operationId("getJob").tag(TAG).authenticated()
                .summary("A packaging job's state and progress").response(200, JobView.class).errors(403, 404)
                .handler(req -> {
                    return Response.ok(visible(queue, req.pathUuid("id"), access.require(req, Viewer.CATALOG_WRITE)));
                });
        router.route(HttpMethod.GET, "/api/v1/jobs/{id}/log").operationId("getJobLog").tag(TAG).authenticated()
                .summary("A packaging job's log lines").page(JobQueue.LogLine.class).errors(400, 403, 404)
                .handler(req -> {
                    UUID id = visible(queue, req.pathUuid("id"), access.require(req, Viewer.CATALOG_WRITE)).id();
                    return Response.ok(queue.log(id, Page.request(req)));
                });
        router.route(HttpMethod.POST, "/api/v1/jobs/{id}/cancel").operationId("cancelJob").tag(TAG).authenticated()
                .summary("Cancel a queued or running job").response(200, JobView.class).errors(403, 404, 409)
                .handler(req -> {
                    UUID id = visible(queue, req.pathUuid("id"), access.require(req, Viewer.CATALOG_WRITE)).id();
                    return Response.ok(queue.cancel(id));
                });
        router.route(HttpMethod.POST, "/api/v1/jobs/{id}/retry").operationId("retryJob").tag(TAG).authenticated()
                .summary("Queue a failed or cancelled job again").response(200, JobView.class).errors(403, 404, 409)
                .handler(req -> {
                    UUID id = visible(queue, req.pathUuid("id"), access.require(req, Viewer.CATALOG_WRITE)).id();
                    return Response.ok(queue.retry(id));
                });
    }

    /** @return the account whose jobs the viewer may see, or null for everyone's ({@code jobs.manage}) */
    private static UUID scope(Viewer v) {
        return v.can(Permissions.JOBS_MANAGE) ? null : v.accountId();
    }

    /**
     * An editor sees the jobs they queued; {@code jobs.manage} sees every job. Someone else's job is "not found", as
     * if it did not exist (its id tells nothing).
     *
     * @throws NotFoundException for a job the viewer may not see
     */
    private static JobView visible(JobQueue queue, UUID id, Viewer v) {
        JobView job = queue.get(id);
        UUID scope = scope(v);
        if (scope != null && !scope.equals(job.createdBy())) {
            throw new NotFoundException("no job " + id);
        }
        return job;
    }
}
