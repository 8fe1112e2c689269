package dev.kino.protocol.hls;

import dev.kino.protocol.internal.Require;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link MediaPlaylist}. Obtain one with {@link MediaPlaylist#builder()}. Everything is optional, but
 * a playlist without segments needs an explicit {@link #targetDuration(int)}.
 */
public final class MediaPlaylistBuilder {

    private Integer targetDuration;
    private long mediaSequence;
    private long discontinuitySequence;
    private PlaylistType playlistType;
    private boolean iFramesOnly;
    private boolean independentSegments;
    private boolean endList;
    private int minimumVersion = 1;
    private final List<MediaSegment> segments = new ArrayList<>();

    MediaPlaylistBuilder() {
    }

    /**
     * Sets {@code EXT-X-TARGETDURATION}. When not set, {@link #build()} computes it as the largest segment
     * duration rounded to the nearest integer (halves up), per RFC 8216 §4.3.3.1.
     *
     * @param seconds positive whole seconds
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public MediaPlaylistBuilder targetDuration(int seconds) {
        this.targetDuration = (int) Require.positive("EXT-X-TARGETDURATION", seconds);
        return this;
    }

    /**
     * Sets {@code EXT-X-MEDIA-SEQUENCE} (default 0).
     *
     * @param mediaSequence the Media Sequence Number of the first segment, not negative
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public MediaPlaylistBuilder mediaSequence(long mediaSequence) {
        this.mediaSequence = Require.nonNegative("EXT-X-MEDIA-SEQUENCE", mediaSequence);
        return this;
    }

    /**
     * Sets {@code EXT-X-DISCONTINUITY-SEQUENCE} (default 0, then not written).
     *
     * @param discontinuitySequence not negative
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public MediaPlaylistBuilder discontinuitySequence(long discontinuitySequence) {
        this.discontinuitySequence = Require.nonNegative("EXT-X-DISCONTINUITY-SEQUENCE", discontinuitySequence);
        return this;
    }

    /**
     * Sets {@code EXT-X-PLAYLIST-TYPE} (default absent).
     *
     * @param playlistType {@link PlaylistType#VOD} or {@link PlaylistType#EVENT}
     * @return this builder
     */
    public MediaPlaylistBuilder playlistType(PlaylistType playlistType) {
        this.playlistType = Objects.requireNonNull(playlistType, "playlistType");
        return this;
    }

    /**
     * Sets whether {@code EXT-X-I-FRAMES-ONLY} is written (default false); needs version 4.
     *
     * @param iFramesOnly true for an I-frame playlist
     * @return this builder
     */
    public MediaPlaylistBuilder iFramesOnly(boolean iFramesOnly) {
        this.iFramesOnly = iFramesOnly;
        return this;
    }

    /**
     * Sets whether {@code EXT-X-INDEPENDENT-SEGMENTS} is written (default false).
     *
     * @param independentSegments true if every segment is independently decodable
     * @return this builder
     */
    public MediaPlaylistBuilder independentSegments(boolean independentSegments) {
        this.independentSegments = independentSegments;
        return this;
    }

    /**
     * Sets whether {@code EXT-X-ENDLIST} is written (default false).
     *
     * @param endList true once the playlist is complete
     * @return this builder
     */
    public MediaPlaylistBuilder endList(boolean endList) {
        this.endList = endList;
        return this;
    }

    /**
     * Asks for at least this {@code EXT-X-VERSION}; the written version is the larger of this and the version
     * the content needs (RFC 8216 §7).
     *
     * @param version 1 to {@value Playlist#MAX_VERSION}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public MediaPlaylistBuilder minimumVersion(int version) {
        this.minimumVersion = PlaylistValues.version(version);
        return this;
    }

    /**
     * Appends a segment.
     *
     * @param segment the next segment
     * @return this builder
     */
    public MediaPlaylistBuilder addSegment(MediaSegment segment) {
        segments.add(Objects.requireNonNull(segment, "segment"));
        return this;
    }

    /**
     * Sets the segments, replacing any added before.
     *
     * @param segments the segments in order
     * @return this builder
     */
    public MediaPlaylistBuilder segments(List<MediaSegment> segments) {
        this.segments.clear();
        segments.forEach(this::addSegment);
        return this;
    }

    /**
     * Validates and builds the playlist.
     *
     * @return the playlist
     * @throws IllegalArgumentException if there are no segments and no target duration; if a segment's
     *         duration rounded to the nearest integer exceeds the explicit target duration (RFC 8216 §4.3.3.1);
     *         if a byte range without offset does not follow a sub-range of the same URI (§4.3.2.2); or if a
     *         segment has no {@code EXT-X-MAP} after one that has (HLS cannot remove an initialization section);
     *         or an {@code EXT-X-MAP} is written while an {@code AES-128} key without {@code IV} is in effect
     *         (the writer puts {@code EXT-X-KEY} before {@code EXT-X-MAP}, so the key applies to it, §4.3.2.5)
     */
    public MediaPlaylist build() {
        long maxRounded = 0;
        MediaSegment previous = null;
        for (int i = 0; i < segments.size(); i++) {
            MediaSegment s = segments.get(i);
            long rounded = Formats.roundedSeconds(s.duration());
            if (targetDuration != null && rounded > targetDuration) {
                throw new IllegalArgumentException("segment " + i + " (" + s.uri() + ") lasts "
                        + Formats.seconds(s.duration()) + " s, which rounds to " + rounded
                        + " s, more than EXT-X-TARGETDURATION " + targetDuration + " s (RFC 8216 §4.3.3.1)");
            }
            maxRounded = Math.max(maxRounded, rounded);
            if (s.byteRange().isPresent() && s.byteRange().get().offset().isEmpty()
                    && (previous == null || previous.byteRange().isEmpty() || !previous.uri().equals(s.uri()))) {
                throw new IllegalArgumentException("segment " + i + " (" + s.uri() + ") has a byte range without "
                        + "offset, so the previous segment must be a sub-range of the same resource "
                        + "(RFC 8216 §4.3.2.2)");
            }
            if (previous != null && previous.map().isPresent() && s.map().isEmpty()) {
                throw new IllegalArgumentException("segment " + i + " (" + s.uri() + ") has no EXT-X-MAP but the "
                        + "segment before it has one; a Media Initialization Section cannot be removed");
            }
            boolean mapWritten = s.map().isPresent() && (previous == null || !s.map().equals(previous.map()));
            if (mapWritten && s.keys().stream().anyMatch(k -> k.method() == KeyMethod.AES_128 && k.iv().isEmpty())) {
                throw new IllegalArgumentException("segment " + i + " (" + s.uri() + ") starts a new EXT-X-MAP under an "
                        + "EXT-X-KEY with METHOD=AES-128 and no IV; the IV is required then (RFC 8216 §4.3.2.5)");
            }
            previous = s;
        }
        int target;
        if (targetDuration != null) {
            target = targetDuration;
        } else if (segments.isEmpty()) {
            throw new IllegalArgumentException("a media playlist without segments needs an explicit "
                    + "EXT-X-TARGETDURATION");
        } else {
            if (maxRounded > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("segment duration too long: " + maxRounded + " s");
            }
            target = (int) Math.max(1, maxRounded);
        }
        List<MediaSegment> copy = List.copyOf(segments);
        int required = MediaPlaylist.requiredVersion(copy, iFramesOnly).version();
        return new MediaPlaylist(Math.max(required, minimumVersion), required, target, mediaSequence,
                discontinuitySequence, playlistType, iFramesOnly, independentSegments, endList, copy);
    }
}
