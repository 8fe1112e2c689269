package dev.kino.control.media;

import java.time.Instant;
import java.util.UUID;

/**
 * An upload's progress. Resume by sending the chunk at {@code received}.
 *
 * @param id upload id
 * @param filename the file's name
 * @param size declared size in bytes
 * @param sha256 declared SHA-256 (lower-case hex)
 * @param received bytes received so far: the offset of the next chunk
 * @param maxChunkBytes largest chunk accepted, in bytes
 * @param state {@code receiving}, {@code complete}, {@code failed} (checksum mismatch) or {@code aborted}
 * @param error why it failed, or absent
 * @param createdAt when it started
 * @param updatedAt last chunk or change
 */
public record UploadView(UUID id, String filename, long size, String sha256, long received, long maxChunkBytes,
                         String state, String error, Instant createdAt, Instant updatedAt) {
}
