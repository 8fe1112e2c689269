package dev.kino.protocol.dash;

import dev.kino.protocol.internal.Require;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An {@code AdaptationSet} (ISO/IEC 23009-1 §5.3.3): switchable Representations of one content type and language.
 * DASH-IF IOP practice: one per content type, language and role; subtitles as a {@code text} set whose single
 * Representation has a {@code BaseURL} to a WebVTT file ({@code mimeType="text/vtt"}).
 *
 * <p>Rules enforced at construction: {@code mimeType} matches {@code contentType} ({@code video/…},
 * {@code audio/…}, {@code text/…} or {@code application/…}); at least one Representation, IDs unique; every
 * Representation has a segment template (its own or this set's) or a BaseURL; video Representations have
 * {@code width}/{@code height} and audio/video ones {@code codecs}; Representation sizes do not exceed
 * {@code maxWidth}/{@code maxHeight}; all {@code cenc:default_KID}s of the set's ContentProtections agree (players
 * such as Shaka reject conflicting ones).
 *
 * @param id the {@code @id}, unique in the Period, or null
 * @param contentType video, audio or text
 * @param mimeType e.g. {@code video/mp4}, {@code audio/mp4}, {@code text/vtt}
 * @param lang BCP 47 language tag (e.g. {@code en}, {@code pt-BR}), or null
 * @param segmentAlignment whether segments are aligned across Representations (written only when true)
 * @param startWithSap the {@code @startWithSAP} type 0..6 (1 or 2 for CMAF), or null
 * @param maxWidth largest Representation width in pixels, or null
 * @param maxHeight largest Representation height in pixels, or null
 * @param par picture aspect ratio {@code W:H}, e.g. {@code 16:9}, or null
 * @param roles Role descriptors, no duplicates; may be empty
 * @param label a human-readable {@code Label} (e.g. {@code English (SDH)}), or null
 * @param contentProtections ContentProtection descriptors in the order written; empty when clear
 * @param segmentTemplate the set-level template shared by the Representations, or null
 * @param representations the Representations, at least one
 */
public record AdaptationSet(Long id, ContentType contentType, String mimeType, String lang, boolean segmentAlignment,
                            Integer startWithSap, Integer maxWidth, Integer maxHeight, String par, List<Role> roles,
                            String label, List<ContentProtection> contentProtections,
                            SegmentTemplate segmentTemplate, List<Representation> representations) {

    /**
     * Creates the AdaptationSet, validating the components as described on the type.
     *
     * @param id see {@link #id()}
     * @param contentType see {@link #contentType()}
     * @param mimeType see {@link #mimeType()}
     * @param lang see {@link #lang()}
     * @param segmentAlignment see {@link #segmentAlignment()}
     * @param startWithSap see {@link #startWithSap()}
     * @param maxWidth see {@link #maxWidth()}
     * @param maxHeight see {@link #maxHeight()}
     * @param par see {@link #par()}
     * @param roles see {@link #roles()}
     * @param label see {@link #label()}
     * @param contentProtections see {@link #contentProtections()}
     * @param segmentTemplate see {@link #segmentTemplate()}
     * @param representations see {@link #representations()}
     * @throws IllegalArgumentException if a rule above is broken (message names the field)
     * @throws NullPointerException if a required field or a list element is null
     */
    public AdaptationSet {
        if (id != null) {
            Require.nonNegative("AdaptationSet.id", id);
        }
        MpdValues.notNull(contentType, "AdaptationSet.contentType");
        MpdValues.notNull(mimeType, "AdaptationSet.mimeType");
        MpdValues.matches(mimeType, MpdValues.MIME, "AdaptationSet.mimeType", "type/subtype");
        String top = mimeType.substring(0, mimeType.indexOf('/'));
        boolean mimeOk = switch (contentType) {
            case VIDEO -> top.equals("video");
            case AUDIO -> top.equals("audio");
            case TEXT -> top.equals("text") || top.equals("application");
        };
        if (!mimeOk) {
            throw new IllegalArgumentException("AdaptationSet.mimeType " + mimeType + " does not fit contentType "
                    + contentType.value());
        }
        MpdValues.matches(lang, MpdValues.LANG, "AdaptationSet.lang", "a BCP 47 language tag such as en or pt-BR");
        if (startWithSap != null && (startWithSap < 0 || startWithSap > 6)) {
            throw new IllegalArgumentException("AdaptationSet.startWithSap must be 0..6, got " + startWithSap);
        }
        Require.positiveIfPresent("AdaptationSet.maxWidth", maxWidth);
        Require.positiveIfPresent("AdaptationSet.maxHeight", maxHeight);
        MpdValues.matches(par, MpdValues.RATIO, "AdaptationSet.par", "W:H");
        roles = List.copyOf(MpdValues.notNull(roles, "AdaptationSet.roles"));
        if (new HashSet<>(roles).size() != roles.size()) {
            throw new IllegalArgumentException("AdaptationSet.roles has duplicates: " + roles);
        }
        if (label != null) {
            MpdValues.nonBlank(label, "AdaptationSet.label");
        }
        contentProtections = List.copyOf(MpdValues.notNull(contentProtections, "AdaptationSet.contentProtections"));
        UUID kid = null;
        for (ContentProtection cp : contentProtections) {
            if (cp.defaultKid() != null) {
                if (kid != null && !kid.equals(cp.defaultKid())) {
                    throw new IllegalArgumentException("AdaptationSet.contentProtections have conflicting "
                            + "default_KIDs " + kid + " and " + cp.defaultKid());
                }
                kid = cp.defaultKid();
            }
        }
        representations = List.copyOf(MpdValues.notNull(representations, "AdaptationSet.representations"));
        if (representations.isEmpty()) {
            throw new IllegalArgumentException("AdaptationSet.representations must not be empty");
        }
        Set<String> ids = new HashSet<>();
        for (Representation r : representations) {
            String at = "AdaptationSet.representations[" + r.id() + "]";
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException(at + ": duplicate Representation id");
            }
            if (segmentTemplate == null && r.segmentTemplate() == null && r.baseUrl() == null) {
                throw new IllegalArgumentException(at + " has no segment template and no BaseURL");
            }
            if (contentType != ContentType.TEXT && r.codecs() == null) {
                throw new IllegalArgumentException(at + ".codecs must be set for " + contentType.value());
            }
            if (contentType == ContentType.VIDEO && r.width() == null) {
                throw new IllegalArgumentException(at + ".width/height must be set for video");
            }
            if (maxWidth != null && r.width() != null && r.width() > maxWidth) {
                throw new IllegalArgumentException(at + ".width " + r.width() + " exceeds maxWidth " + maxWidth);
            }
            if (maxHeight != null && r.height() != null && r.height() > maxHeight) {
                throw new IllegalArgumentException(at + ".height " + r.height() + " exceeds maxHeight " + maxHeight);
            }
        }
    }

    /**
     * @param contentType video, audio or text
     * @return a new builder
     */
    public static AdaptationSetBuilder builder(ContentType contentType) {
        return new AdaptationSetBuilder().contentType(contentType);
    }

    /**
     * @return a new builder
     */
    public static AdaptationSetBuilder builder() {
        return new AdaptationSetBuilder();
    }

    /**
     * A WebVTT side-file subtitle set: {@code contentType="text" mimeType="text/vtt"}, one Representation whose
     * {@code BaseURL} is the {@code .vtt} file.
     *
     * @param id the AdaptationSet id, or null
     * @param lang BCP 47 language
     * @param role e.g. {@link Role#SUBTITLE} or {@link Role#CAPTION}
     * @param label human-readable label, or null
     * @param representationId the Representation id
     * @param bandwidth nominal bit rate in bits/s ({@code @bandwidth} is mandatory), e.g. 256
     * @param vttUrl URL of the WebVTT file, absolute or relative to the MPD
     * @return the AdaptationSet
     */
    public static AdaptationSet webVtt(Long id, String lang, Role role, String label, String representationId,
                                       long bandwidth, String vttUrl) {
        return builder(ContentType.TEXT).id(id).mimeType("text/vtt").lang(lang).role(role).label(label)
                .segmentAlignment(false)
                .representation(Representation.builder(representationId).bandwidth(bandwidth).baseUrl(vttUrl).build())
                .build();
    }
}
