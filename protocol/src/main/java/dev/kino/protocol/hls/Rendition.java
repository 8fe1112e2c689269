package dev.kino.protocol.hls;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An alternative rendition, {@code EXT-X-MEDIA} (RFC 8216 §4.3.4.1): an audio track, subtitle track, extra
 * video angle or closed-caption channel that variant streams reference by {@code GROUP-ID}. Immutable; build
 * one with {@link #builder()}.
 */
public final class Rendition {

    private final RenditionType type;
    private final String groupId;
    private final String name;
    private final String language;
    private final String assocLanguage;
    private final String uri;
    private final boolean isDefault;
    private final boolean autoselect;
    private final boolean forced;
    private final String instreamId;
    private final List<String> characteristics;
    private final String channels;

    Rendition(RenditionType type, String groupId, String name, String language, String assocLanguage, String uri,
              boolean isDefault, boolean autoselect, boolean forced, String instreamId,
              List<String> characteristics, String channels) {
        this.type = type;
        this.groupId = groupId;
        this.name = name;
        this.language = language;
        this.assocLanguage = assocLanguage;
        this.uri = uri;
        this.isDefault = isDefault;
        this.autoselect = autoselect;
        this.forced = forced;
        this.instreamId = instreamId;
        this.characteristics = characteristics;
        this.channels = channels;
    }

    /**
     * Starts building a rendition.
     *
     * @return a new builder
     */
    public static RenditionBuilder builder() {
        return new RenditionBuilder();
    }

    /**
     * Returns the {@code TYPE}.
     *
     * @return the rendition type
     */
    public RenditionType type() {
        return type;
    }

    /**
     * Returns the {@code GROUP-ID} of the group the rendition belongs to.
     *
     * @return the group id, non-empty
     */
    public String groupId() {
        return groupId;
    }

    /**
     * Returns the human-readable {@code NAME}, unique within the group.
     *
     * @return the name, non-empty
     */
    public String name() {
        return name;
    }

    /**
     * Returns the {@code LANGUAGE}, an RFC 5646 language tag such as {@code ja} or {@code en-US}.
     *
     * @return the language, or empty if absent
     */
    public Optional<String> language() {
        return Optional.ofNullable(language);
    }

    /**
     * Returns the {@code ASSOC-LANGUAGE}, a language associated with the rendition.
     *
     * @return the language tag, or empty if absent
     */
    public Optional<String> assocLanguage() {
        return Optional.ofNullable(assocLanguage);
    }

    /**
     * Returns the {@code URI} of the rendition's Media Playlist.
     *
     * @return the URI, or empty when the rendition is carried in the variant stream itself
     */
    public Optional<String> uri() {
        return Optional.ofNullable(uri);
    }

    /**
     * Returns {@code DEFAULT}: whether the client should play this rendition absent user preference.
     *
     * @return true for {@code DEFAULT=YES}
     */
    public boolean isDefault() {
        return isDefault;
    }

    /**
     * Returns {@code AUTOSELECT}: whether the client may pick this rendition by itself.
     *
     * @return true for {@code AUTOSELECT=YES}
     */
    public boolean autoselect() {
        return autoselect;
    }

    /**
     * Returns {@code FORCED} (subtitles only): whether the subtitles must be shown (e.g. translated signs).
     *
     * @return true for {@code FORCED=YES}
     */
    public boolean forced() {
        return forced;
    }

    /**
     * Returns {@code INSTREAM-ID} (closed captions only): {@code CC1}..{@code CC4} or
     * {@code SERVICE1}..{@code SERVICE63}.
     *
     * @return the channel, or empty for other types
     */
    public Optional<String> instreamId() {
        return Optional.ofNullable(instreamId);
    }

    /**
     * Returns {@code CHARACTERISTICS}, Uniform Type Identifiers such as {@code public.accessibility.describes-video}.
     *
     * @return the characteristics, empty if absent
     */
    public List<String> characteristics() {
        return characteristics;
    }

    /**
     * Returns {@code CHANNELS} (audio only): the channel count, optionally followed by {@code /} and more
     * parameters, e.g. {@code 2} or {@code 16/JOC}.
     *
     * @return the channels value, or empty if absent
     */
    public Optional<String> channels() {
        return Optional.ofNullable(channels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rendition r && r.type == type && r.groupId.equals(groupId) && r.name.equals(name)
                && Objects.equals(r.language, language) && Objects.equals(r.assocLanguage, assocLanguage)
                && Objects.equals(r.uri, uri) && r.isDefault == isDefault && r.autoselect == autoselect
                && r.forced == forced && Objects.equals(r.instreamId, instreamId)
                && r.characteristics.equals(characteristics) && Objects.equals(r.channels, channels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, groupId, name, language, assocLanguage, uri, isDefault, autoselect, forced,
                instreamId, characteristics, channels);
    }

    @Override
    public String toString() {
        return "Rendition{type=" + type.attributeValue() + ", groupId=" + groupId + ", name=" + name
                + (language == null ? "" : ", language=" + language)
                + (assocLanguage == null ? "" : ", assocLanguage=" + assocLanguage)
                + (uri == null ? "" : ", uri=" + uri) + (isDefault ? ", default" : "")
                + (autoselect ? ", autoselect" : "") + (forced ? ", forced" : "")
                + (instreamId == null ? "" : ", instreamId=" + instreamId)
                + (characteristics.isEmpty() ? "" : ", characteristics=" + characteristics)
                + (channels == null ? "" : ", channels=" + channels) + '}';
    }
}
