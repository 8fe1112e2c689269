package dev.kino.packager.media;

import java.util.Arrays;
import java.util.Objects;

/**
 * The format of one encoded track, as the CMAF writer needs it for the initialization section.
 *
 * @param kind video or audio
 * @param sampleEntry the ISO BMFF sample entry four-cc: {@code avc1} for H.264, {@code mp4a} for AAC
 * @param codecs the RFC 6381 codecs string computed from the stream, e.g. {@code avc1.64001f} or {@code mp4a.40.2}
 * @param timescale ticks per second of every timestamp and duration of this track's samples
 *                  (video: 90000 or a multiple of the frame rate; audio: the sample rate)
 * @param width coded picture width in pixels (video), 0 for audio
 * @param height coded picture height in pixels (video), 0 for audio
 * @param sampleRate audio sample rate in Hz, 0 for video
 * @param channels audio channel count, 0 for video
 * @param decoderConfig the codec's configuration record: for {@code avc1} the AVCDecoderConfigurationRecord
 *                      (ISO/IEC 14496-15 §5.3.3, the {@code avcC} payload); for {@code mp4a} the
 *                      AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1, carried in {@code esds})
 * @param language ISO 639-2/T three-letter language code ({@code und} when unknown)
 * @param bitrate average bitrate in bits per second (for {@code btrt} and the manifests), 0 if unknown
 * @param encoderDelay leading samples that are not to be presented, in timescale ticks: an AAC encoder's priming
 *                     ({@code initial_padding}, 1024 samples for FFmpeg's AAC encoder); the CMAF writer removes them
 *                     with an edit list (ISO/IEC 14496-12 §8.6.6, {@code media_time = encoderDelay}); 0 for none
 */
public record TrackFormat(TrackKind kind, String sampleEntry, String codecs, int timescale, int width, int height,
                          int sampleRate, int channels, byte[] decoderConfig, String language, long bitrate,
                          long encoderDelay) {

    /** A format without encoder delay (the constructor before {@code encoderDelay} existed). */
    public TrackFormat(TrackKind kind, String sampleEntry, String codecs, int timescale, int width, int height,
                       int sampleRate, int channels, byte[] decoderConfig, String language, long bitrate) {
        this(kind, sampleEntry, codecs, timescale, width, height, sampleRate, channels, decoderConfig, language,
                bitrate, 0);
    }

    /** @throws IllegalArgumentException when a field is out of range for the track kind */
    public TrackFormat {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sampleEntry, "sampleEntry");
        Objects.requireNonNull(codecs, "codecs");
        if (sampleEntry.length() != 4) {
            throw new IllegalArgumentException("sample entry must be a four-cc, not " + sampleEntry);
        }
        if (timescale <= 0) {
            throw new IllegalArgumentException("timescale must be positive");
        }
        if (kind == TrackKind.VIDEO && (width <= 0 || height <= 0)) {
            throw new IllegalArgumentException("video needs a positive width and height");
        }
        if (kind == TrackKind.AUDIO && (sampleRate <= 0 || channels <= 0)) {
            throw new IllegalArgumentException("audio needs a positive sample rate and channel count");
        }
        if (encoderDelay < 0) {
            throw new IllegalArgumentException("encoder delay must not be negative");
        }
        decoderConfig = decoderConfig.clone();
        language = language == null || language.isBlank() ? "und" : language;
    }

    @Override
    public byte[] decoderConfig() {
        return decoderConfig.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrackFormat t && kind == t.kind && sampleEntry.equals(t.sampleEntry) && codecs.equals(t.codecs)
                && timescale == t.timescale && width == t.width && height == t.height && sampleRate == t.sampleRate
                && channels == t.channels && Arrays.equals(decoderConfig, t.decoderConfig)
                && language.equals(t.language) && bitrate == t.bitrate && encoderDelay == t.encoderDelay;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, codecs, timescale, width, height, sampleRate, channels, language);
    }
}
