package dev.kino.packager.job;

import dev.kino.packager.media.TrackKind;

import java.util.Objects;

/**
 * One track of a published title, as the HLS playlists and the DASH MPD list it.
 *
 * @param name the rendition name, also its folder or file stem: {@code video-720p}, {@code audio-jpn},
 *             {@code audio-jpn-2}, {@code subs-eng}
 * @param kind video, audio or timed text
 * @param language BCP 47 language tag (RFC 5646) as the manifests carry it ({@code ja}, {@code en}, {@code pt-BR});
 *                 {@code und} when unknown, and for video
 * @param codecs the RFC 6381 codecs parameter of the playlists and MPD ({@code avc1.64001f}, {@code mp4a.40.2});
 *               {@code wvtt} for WebVTT text
 * @param width picture width in pixels (video), 0 otherwise
 * @param height picture height in pixels (video), 0 otherwise
 * @param bitrate average bitrate, bits per second, 0 when not known (text)
 */
public record PackagedTrack(String name, TrackKind kind, String language, String codecs, int width, int height,
                            long bitrate) {
    /** RFC 6381 {@code codecs} value of a WebVTT track (the ISO/IEC 14496-30 sample entry). */
    public static final String WEBVTT = "wvtt";

    /** @throws NullPointerException when the name, kind, language or codecs is missing */
    public PackagedTrack {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(codecs, "codecs");
    }
}
