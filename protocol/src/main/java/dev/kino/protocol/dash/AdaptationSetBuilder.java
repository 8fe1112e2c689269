package dev.kino.protocol.dash;

import java.util.ArrayList;
import java.util.List;

/**
 * Builder of {@link AdaptationSet}; see that type for meaning and rules. Defaults: {@code segmentAlignment} true,
 * no roles, no protection. Not thread-safe.
 */
public final class AdaptationSetBuilder {

    private Long id;
    private ContentType contentType;
    private String mimeType;
    private String lang;
    private boolean segmentAlignment = true;
    private Integer startWithSap;
    private Integer maxWidth;
    private Integer maxHeight;
    private String par;
    private final List<Role> roles = new ArrayList<>();
    private String label;
    private final List<ContentProtection> contentProtections = new ArrayList<>();
    private SegmentTemplate segmentTemplate;
    private final List<Representation> representations = new ArrayList<>();

    AdaptationSetBuilder() {
    }

    /**
     * @param id {@code @id}, or null
     * @return this
     */
    public AdaptationSetBuilder id(Long id) {
        this.id = id;
        return this;
    }

    /**
     * @param contentType content type
     * @return this
     */
    public AdaptationSetBuilder contentType(ContentType contentType) {
        this.contentType = contentType;
        return this;
    }

    /**
     * @param mimeType MIME type
     * @return this
     */
    public AdaptationSetBuilder mimeType(String mimeType) {
        this.mimeType = mimeType;
        return this;
    }

    /**
     * @param lang BCP 47 language tag, or null
     * @return this
     */
    public AdaptationSetBuilder lang(String lang) {
        this.lang = lang;
        return this;
    }

    /**
     * @param aligned segment alignment flag; default true
     * @return this
     */
    public AdaptationSetBuilder segmentAlignment(boolean aligned) {
        this.segmentAlignment = aligned;
        return this;
    }

    /**
     * @param sapType SAP type 0..6, or null
     * @return this
     */
    public AdaptationSetBuilder startWithSap(Integer sapType) {
        this.startWithSap = sapType;
        return this;
    }

    /**
     * @param maxWidth pixels
     * @param maxHeight pixels
     * @return this
     */
    public AdaptationSetBuilder maxResolution(Integer maxWidth, Integer maxHeight) {
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
        return this;
    }

    /**
     * @param par picture aspect ratio {@code W:H}
     * @return this
     */
    public AdaptationSetBuilder par(String par) {
        this.par = par;
        return this;
    }

    /**
     * @param role a role to add; null is ignored
     * @return this
     */
    public AdaptationSetBuilder role(Role role) {
        if (role != null) {
            roles.add(role);
        }
        return this;
    }

    /**
     * @param label human-readable label, or null
     * @return this
     */
    public AdaptationSetBuilder label(String label) {
        this.label = label;
        return this;
    }

    /**
     * @param cp a descriptor to add
     * @return this
     */
    public AdaptationSetBuilder contentProtection(ContentProtection cp) {
        contentProtections.add(cp);
        return this;
    }

    /**
     * @param cps descriptors to add, in order
     * @return this
     */
    public AdaptationSetBuilder contentProtections(List<ContentProtection> cps) {
        contentProtections.addAll(cps);
        return this;
    }

    /**
     * @param template set-level segment template
     * @return this
     */
    public AdaptationSetBuilder segmentTemplate(SegmentTemplate template) {
        this.segmentTemplate = template;
        return this;
    }

    /**
     * @param r a Representation to add
     * @return this
     */
    public AdaptationSetBuilder representation(Representation r) {
        representations.add(r);
        return this;
    }

    /**
     * @param rs Representations to add, in order
     * @return this
     */
    public AdaptationSetBuilder representations(List<Representation> rs) {
        representations.addAll(rs);
        return this;
    }

    /**
     * @return the AdaptationSet
     * @throws IllegalArgumentException if a rule of {@link AdaptationSet} is broken
     * @throws NullPointerException if a required field is missing
     */
    public AdaptationSet build() {
        return new AdaptationSet(id, contentType, mimeType, lang, segmentAlignment, startWithSap, maxWidth, maxHeight,
                par, roles, label, contentProtections, segmentTemplate, representations);
    }
}
