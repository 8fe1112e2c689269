package dev.kino.control.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A packaging job.
 *
 * @param id job id
 * @param mediaId the media item it packages
 * @param state {@code queued}, {@code running}, {@code succeeded}, {@code failed} or {@code cancelled}
 * @param ladder renditions asked for (empty: the packager's default)
 * @param protection protection asked for
 * @param attempts attempts started so far
 * @param maxAttempts attempts allowed before the job fails
 * @param progress fraction done, 0 to 1
 * @param worker the worker holding the lease, while running
 * @param leaseExpiresAt when the lease runs out unless renewed, while running
 * @param cancelRequested cancellation asked for; the worker stops at its next progress report
 * @param error last failure, or absent
 * @param createdAt when queued first
 * @param startedAt when first claimed
 * @param finishedAt when it reached a final state
 * @param createdBy the account that queued it (absent once that account is deleted)
 */
public record JobView(UUID id, UUID mediaId, String state, List<String> ladder, String protection, int attempts,
                      int maxAttempts, double progress, String worker, Instant leaseExpiresAt, boolean cancelRequested,
                      String error, Instant createdAt, Instant startedAt, Instant finishedAt, UUID createdBy) {
}
