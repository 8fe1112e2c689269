package dev.kino.packager.output;

import dev.kino.packager.cmaf.Encryption;

import java.util.Optional;

/**
 * One on-disk copy of a track's segments. A title protected for both HLS AES-128 and DASH {@code cenc} has two
 * copies of every track; otherwise one.
 *
 * @param folder folder relative to the title root, e.g. {@code video-720p} or {@code cenc/video-720p}
 * @param cenc the {@code cenc} protection written into the segments, or empty
 * @param aes128Key the HLS AES-128 key that encrypts every whole segment file (AES-128-CBC, explicit IV derived
 *                  from the media sequence number), or null
 */
public record SegmentCopy(String folder, Optional<Encryption> cenc, byte[] aes128Key) {
}
