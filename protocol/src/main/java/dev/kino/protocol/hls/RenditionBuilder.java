package dev.kino.protocol.hls;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Builds a {@link Rendition}. Obtain one with {@link Rendition#builder()}; {@link #type(RenditionType)},
 * {@link #groupId(String)} and {@link #name(String)} are required.
 */
public final class RenditionBuilder {

    private static final Pattern INSTREAM_ID = Pattern.compile("CC[1-4]|SERVICE([1-9]|[1-5][0-9]|6[0-3])");

    private RenditionType type;
    private String groupId;
    private String name;
    private String language;
    private String assocLanguage;
    private String uri;
    private boolean isDefault;
    private boolean autoselect;
    private boolean forced;
    private String instreamId;
    private List<String> characteristics = List.of();
    private String channels;

    RenditionBuilder() {
    }

    /**
     * Sets the {@code TYPE} (required).
     *
     * @param type the rendition type
     * @return this builder
     */
    public RenditionBuilder type(RenditionType type) {
        this.type = Objects.requireNonNull(type, "type");
        return this;
    }

    /**
     * Sets the {@code GROUP-ID} (required).
     *
     * @param groupId the group, e.g. {@code aac}
     * @return this builder
     */
    public RenditionBuilder groupId(String groupId) {
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        return this;
    }

    /**
     * Sets the {@code NAME} (required), unique within the group.
     *
     * @param name e.g. {@code 日本語} or {@code English}
     * @return this builder
     */
    public RenditionBuilder name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * Sets the {@code LANGUAGE}.
     *
     * @param language an RFC 5646 tag, e.g. {@code ja}
     * @return this builder
     */
    public RenditionBuilder language(String language) {
        this.language = Objects.requireNonNull(language, "language");
        return this;
    }

    /**
     * Sets the {@code ASSOC-LANGUAGE}.
     *
     * @param assocLanguage an RFC 5646 tag
     * @return this builder
     */
    public RenditionBuilder assocLanguage(String assocLanguage) {
        this.assocLanguage = Objects.requireNonNull(assocLanguage, "assocLanguage");
        return this;
    }

    /**
     * Sets the {@code URI} of the rendition's Media Playlist (required for subtitles, forbidden for closed
     * captions).
     *
     * @param uri relative or absolute URI
     * @return this builder
     */
    public RenditionBuilder uri(String uri) {
        this.uri = Objects.requireNonNull(uri, "uri");
        return this;
    }

    /**
     * Sets {@code DEFAULT} (default false); {@code DEFAULT=YES} requires {@code AUTOSELECT=YES}.
     *
     * @param isDefault true for {@code YES}
     * @return this builder
     */
    public RenditionBuilder isDefault(boolean isDefault) {
        this.isDefault = isDefault;
        return this;
    }

    /**
     * Sets {@code AUTOSELECT} (default false).
     *
     * @param autoselect true for {@code YES}
     * @return this builder
     */
    public RenditionBuilder autoselect(boolean autoselect) {
        this.autoselect = autoselect;
        return this;
    }

    /**
     * Sets {@code FORCED} (default false); only for {@link RenditionType#SUBTITLES}.
     *
     * @param forced true for {@code YES}
     * @return this builder
     */
    public RenditionBuilder forced(boolean forced) {
        this.forced = forced;
        return this;
    }

    /**
     * Sets {@code INSTREAM-ID} (required for, and only for, {@link RenditionType#CLOSED_CAPTIONS}).
     * {@code SERVICEn} values need protocol version 7 (RFC 8216 §7).
     *
     * @param instreamId {@code CC1}..{@code CC4} or {@code SERVICE1}..{@code SERVICE63}
     * @return this builder
     */
    public RenditionBuilder instreamId(String instreamId) {
        this.instreamId = Objects.requireNonNull(instreamId, "instreamId");
        return this;
    }

    /**
     * Sets {@code CHARACTERISTICS}, written comma-separated in one quoted-string.
     *
     * @param characteristics Uniform Type Identifiers, none containing a comma
     * @return this builder
     */
    public RenditionBuilder characteristics(List<String> characteristics) {
        this.characteristics = List.copyOf(characteristics);
        return this;
    }

    /**
     * Sets {@code CHANNELS} (audio only).
     *
     * @param channels e.g. {@code 2}, {@code 6} or {@code 16/JOC}
     * @return this builder
     */
    public RenditionBuilder channels(String channels) {
        this.channels = Objects.requireNonNull(channels, "channels");
        return this;
    }

    /**
     * Validates and builds the rendition, enforcing RFC 8216 §4.3.4.1.
     *
     * @return the rendition
     * @throws IllegalArgumentException if TYPE, GROUP-ID or NAME is missing; a quoted value contains
     *         {@code "}, CR or LF; {@code DEFAULT=YES} without {@code AUTOSELECT=YES}; subtitles without URI;
     *         closed captions with a URI or without a valid {@code INSTREAM-ID}; {@code INSTREAM-ID} on another
     *         type; {@code FORCED=YES} outside subtitles; {@code CHANNELS} outside audio
     */
    public Rendition build() {
        if (type == null) {
            throw new IllegalArgumentException("EXT-X-MEDIA TYPE is required");
        }
        if (groupId == null) {
            throw new IllegalArgumentException("EXT-X-MEDIA GROUP-ID is required");
        }
        if (name == null) {
            throw new IllegalArgumentException("EXT-X-MEDIA NAME is required");
        }
        PlaylistValues.nonEmptyQuotedString("EXT-X-MEDIA GROUP-ID", groupId);
        PlaylistValues.nonEmptyQuotedString("EXT-X-MEDIA NAME", name);
        if (language != null) {
            PlaylistValues.nonEmptyQuotedString("EXT-X-MEDIA LANGUAGE", language);
        }
        if (assocLanguage != null) {
            PlaylistValues.nonEmptyQuotedString("EXT-X-MEDIA ASSOC-LANGUAGE", assocLanguage);
        }
        if (uri != null) {
            PlaylistValues.nonEmptyQuotedString("EXT-X-MEDIA URI", uri);
        }
        for (String c : characteristics) {
            PlaylistValues.nonEmptyQuotedString("EXT-X-MEDIA CHARACTERISTICS entry", c);
            if (c.indexOf(',') >= 0) {
                throw new IllegalArgumentException("a CHARACTERISTICS entry cannot contain a comma: " + c);
            }
        }
        String what = "EXT-X-MEDIA " + type.attributeValue() + " \"" + name + "\" in group \"" + groupId + "\"";
        if (isDefault && !autoselect) {
            throw new IllegalArgumentException(what + ": DEFAULT=YES requires AUTOSELECT=YES (RFC 8216 §4.3.4.1)");
        }
        if (type == RenditionType.SUBTITLES && uri == null) {
            throw new IllegalArgumentException(what + ": a SUBTITLES rendition requires a URI (RFC 8216 §4.3.4.1)");
        }
        if (type == RenditionType.CLOSED_CAPTIONS) {
            if (uri != null) {
                throw new IllegalArgumentException(what + ": a CLOSED-CAPTIONS rendition cannot have a URI "
                        + "(RFC 8216 §4.3.4.1)");
            }
            if (instreamId == null) {
                throw new IllegalArgumentException(what + ": a CLOSED-CAPTIONS rendition requires INSTREAM-ID "
                        + "(RFC 8216 §4.3.4.1)");
            }
            if (!INSTREAM_ID.matcher(instreamId).matches()) {
                throw new IllegalArgumentException(what + ": INSTREAM-ID must be CC1..CC4 or SERVICE1..SERVICE63, "
                        + "got \"" + PlaylistValues.noLineBreak("INSTREAM-ID", instreamId) + '"');
            }
        } else if (instreamId != null) {
            throw new IllegalArgumentException(what + ": INSTREAM-ID is only allowed with TYPE=CLOSED-CAPTIONS "
                    + "(RFC 8216 §4.3.4.1)");
        }
        if (forced && type != RenditionType.SUBTITLES) {
            throw new IllegalArgumentException(what + ": FORCED is only allowed with TYPE=SUBTITLES "
                    + "(RFC 8216 §4.3.4.1)");
        }
        if (channels != null) {
            if (type != RenditionType.AUDIO) {
                throw new IllegalArgumentException(what + ": CHANNELS is only allowed with TYPE=AUDIO");
            }
            PlaylistValues.nonEmptyQuotedString("EXT-X-MEDIA CHANNELS", channels);
        }
        return new Rendition(type, groupId, name, language, assocLanguage, uri, isDefault, autoselect, forced,
                instreamId, characteristics, channels);
    }
}
