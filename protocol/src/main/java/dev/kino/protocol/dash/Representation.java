package dev.kino.protocol.dash;

import dev.kino.protocol.internal.Require;
import dev.kino.protocol.media.FrameRate;
/**
 * A {@code Representation} (ISO/IEC 23009-1 §5.3.5): one encoding of the AdaptationSet's content.
 *
 * @param id unique within the Period; letters, digits, {@code . _ -} (it is substituted into URLs by
 *        {@code $RepresentationID$})
 * @param bandwidth peak bit rate in bits per second, &gt; 0 (§5.3.5.2 {@code @bandwidth})
 * @param codecs RFC 6381 codecs string, e.g. {@code avc1.64001f}, {@code mp4a.40.2}; null only for text
 * @param width video width in pixels, or null
 * @param height video height in pixels, or null (both or neither)
 * @param frameRate video frame rate, or null
 * @param sar sample aspect ratio {@code W:H}, e.g. {@code 1:1}, or null
 * @param audioSamplingRate audio sample rate in Hz, or null
 * @param audioChannels channel count for an {@code AudioChannelConfiguration} of scheme
 *        {@value #AUDIO_CHANNEL_SCHEME}, or null
 * @param mimeType the Representation's own {@code @mimeType} if it differs from the AdaptationSet's, else null
 * @param baseUrl a {@code BaseURL} (e.g. the {@code .vtt} file of a subtitle track), or null
 * @param segmentTemplate a Representation-level template overriding the AdaptationSet's, or null
 */
public record Representation(String id, long bandwidth, String codecs, Integer width, Integer height,
                             FrameRate frameRate, String sar, Integer audioSamplingRate, Integer audioChannels,
                             String mimeType, String baseUrl, SegmentTemplate segmentTemplate) {

    /** The ISO/IEC 23003-3 audio channel configuration scheme; the value is the channel count. */
    public static final String AUDIO_CHANNEL_SCHEME = "urn:mpeg:dash:23003:3:audio_channel_configuration:2011";

    /**
     * Creates the Representation, validating the components as described on the type.
     *
     * @param id see {@link #id()}
     * @param bandwidth see {@link #bandwidth()}
     * @param codecs see {@link #codecs()}
     * @param width see {@link #width()}
     * @param height see {@link #height()}
     * @param frameRate see {@link #frameRate()}
     * @param sar see {@link #sar()}
     * @param audioSamplingRate see {@link #audioSamplingRate()}
     * @param audioChannels see {@link #audioChannels()}
     * @param mimeType see {@link #mimeType()}
     * @param baseUrl see {@link #baseUrl()}
     * @param segmentTemplate see {@link #segmentTemplate()}
     * @throws IllegalArgumentException if a field is out of range or malformed (message names the field)
     * @throws NullPointerException if {@code id} is null
     */
    public Representation {
        MpdValues.notNull(id, "Representation.id");
        MpdValues.matches(id, MpdValues.ID, "Representation.id", "letters, digits, '.', '_' or '-'");
        Require.positive("Representation.bandwidth", bandwidth);
        MpdValues.matches(codecs, MpdValues.NO_SPACE, "Representation.codecs", "an RFC 6381 codecs string without spaces");
        MpdValues.xmlText(codecs, "Representation.codecs");
        Require.positiveIfPresent("Representation.width", width);
        Require.positiveIfPresent("Representation.height", height);
        if ((width == null) != (height == null)) {
            throw new IllegalArgumentException("Representation.width and height must be set together");
        }
        MpdValues.matches(sar, MpdValues.RATIO, "Representation.sar", "W:H");
        Require.positiveIfPresent("Representation.audioSamplingRate", audioSamplingRate);
        Require.positiveIfPresent("Representation.audioChannels", audioChannels);
        MpdValues.matches(mimeType, MpdValues.MIME, "Representation.mimeType", "type/subtype");
        if (baseUrl != null) {
            MpdValues.nonBlank(baseUrl, "Representation.baseUrl");
        }
    }

    /**
     * @param id the Representation ID
     * @return a new builder with that ID
     */
    public static RepresentationBuilder builder(String id) {
        return new RepresentationBuilder().id(id);
    }

    /**
     * @return a new builder
     */
    public static RepresentationBuilder builder() {
        return new RepresentationBuilder();
    }
}
