package dev.kino.protocol.dash;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A {@code ContentProtection} descriptor (ISO/IEC 23009-1 §5.8.4.1, ISO/IEC 23001-7 §11, DASH-IF IOP content
 * protection) of an AdaptationSet. Written as
 * <pre>
 * &lt;ContentProtection schemeIdUri="…" value="…" cenc:default_KID="8-4-4-4-12"&gt;
 *   &lt;cenc:pssh&gt;base64 of the whole pssh box&lt;/cenc:pssh&gt;
 *   &lt;dashif:Laurl&gt;licence URL&lt;/dashif:Laurl&gt;
 *   &lt;clearkey:Laurl Lic_type="EME-1.0"&gt;licence URL&lt;/clearkey:Laurl&gt;
 * &lt;/ContentProtection&gt;
 * </pre>
 * each part only when set. The licence URL is written twice because players differ: Shaka Player reads
 * {@code Laurl} in namespace {@value #DASHIF_NAMESPACE} first, then in {@value #CLEARKEY_NAMESPACE} with
 * {@code Lic_type="EME-1.0"}; dash.js matches the element {@code Laurl} by its prefix {@code dashif} or
 * {@code clearkey}. The writer therefore always uses those exact prefixes.
 *
 * <p>Use the factories: {@link #mp4Protection}, {@link #widevine}, {@link #clearKey}, {@link #w3cCommon}.
 *
 * @param schemeIdUri the scheme, e.g. {@value #MP4_PROTECTION_SCHEME} or {@code urn:uuid:<system id>}
 * @param value the {@code @value}, or null
 * @param defaultKid the {@code cenc:default_KID}, or null
 * @param pssh a complete pssh box for {@code <cenc:pssh>}, or null; its system ID must match a
 *        {@code urn:uuid:} scheme
 * @param licenceUrl the licence server URL for {@code Laurl}, or null
 */
public record ContentProtection(String schemeIdUri, String value, UUID defaultKid, byte[] pssh, String licenceUrl) {

    /** The Common Encryption scheme, carrying {@code cenc:default_KID} and the scheme in {@code @value}. */
    public static final String MP4_PROTECTION_SCHEME = "urn:mpeg:dash:mp4protection:2011";
    /** Widevine. */
    public static final String WIDEVINE_SCHEME = "urn:uuid:" + Pssh.WIDEVINE_SYSTEM_ID;
    /** DASH-IF Clear Key (DASH-IF IOP). */
    public static final String DASHIF_CLEARKEY_SCHEME = "urn:uuid:" + Pssh.DASHIF_CLEARKEY_SYSTEM_ID;
    /** W3C common system ID (Clear Key's {@code cenc} init data). */
    public static final String W3C_COMMON_SCHEME = "urn:uuid:" + Pssh.W3C_COMMON_SYSTEM_ID;
    /** Namespace of {@code cenc:default_KID} and {@code cenc:pssh}. */
    public static final String CENC_NAMESPACE = "urn:mpeg:cenc:2013";
    /** Namespace of {@code dashif:Laurl} (DASH-IF content protection). */
    public static final String DASHIF_NAMESPACE = "https://dashif.org/CPS";
    /** Namespace of the older {@code clearkey:Laurl}. */
    public static final String CLEARKEY_NAMESPACE = "http://dashif.org/guidelines/clearKey";

    /**
     * Creates the ContentProtection, validating the components as described on the type.
     *
     * @param schemeIdUri see {@link #schemeIdUri()}
     * @param value see {@link #value()}
     * @param defaultKid see {@link #defaultKid()}
     * @param pssh see {@link #pssh()}
     * @param licenceUrl see {@link #licenceUrl()}
     * @throws IllegalArgumentException if the scheme is blank, the pssh is not a well-formed pssh box or belongs to another system, or a string has characters XML cannot carry
     */
    public ContentProtection {
        MpdValues.nonBlank(schemeIdUri, "ContentProtection.schemeIdUri");
        MpdValues.xmlText(value, "ContentProtection.value");
        if (licenceUrl != null) {
            MpdValues.nonBlank(licenceUrl, "ContentProtection.licenceUrl");
        }
        if (pssh != null) {
            pssh = pssh.clone();
            UUID system;
            try {
                system = Pssh.systemIdOf(pssh);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ContentProtection.pssh: " + e.getMessage(), e);
            }
            String lower = schemeIdUri.toLowerCase(Locale.ROOT);
            if (lower.startsWith("urn:uuid:") && !lower.equals("urn:uuid:" + system)) {
                throw new IllegalArgumentException("ContentProtection.pssh has system ID " + system
                        + " but schemeIdUri is " + schemeIdUri);
            }
        }
    }

    /**
     * The mp4protection descriptor DASH-IF IOP requires on every protected AdaptationSet.
     *
     * @param scheme {@code cenc} or {@code cbcs}
     * @param defaultKid the key ID of the AdaptationSet
     * @return {@code <ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc"
     *         cenc:default_KID="…"/>}
     */
    public static ContentProtection mp4Protection(EncryptionScheme scheme, UUID defaultKid) {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(defaultKid, "defaultKid");
        return new ContentProtection(MP4_PROTECTION_SCHEME, scheme.fourcc(), defaultKid, null, null);
    }

    /**
     * @param defaultKid the key ID, or null
     * @param psshBox a Widevine pssh box, e.g. from {@link Pssh#widevineBox}, or null
     * @return the Widevine descriptor
     */
    public static ContentProtection widevine(UUID defaultKid, byte[] psshBox) {
        return new ContentProtection(WIDEVINE_SCHEME, null, defaultKid, psshBox, null);
    }

    /**
     * The DASH-IF Clear Key descriptor, {@code value="ClearKey1.0"}, with the licence URL.
     *
     * @param defaultKid the key ID, or null
     * @param licenceUrl the Clear Key licence server URL (absolute)
     * @return the descriptor
     */
    public static ContentProtection clearKey(UUID defaultKid, String licenceUrl) {
        Objects.requireNonNull(licenceUrl, "licenceUrl");
        return new ContentProtection(DASHIF_CLEARKEY_SCHEME, "ClearKey1.0", defaultKid, null, licenceUrl);
    }

    /**
     * The W3C common system ID descriptor with its pssh ({@link Pssh#w3cCommonBox}) so that Clear Key CDMs get
     * {@code cenc} init data; Shaka Player maps this scheme to {@code org.w3.clearkey} too, so pass the licence URL
     * here as well.
     *
     * @param kids the key IDs (the first is written as {@code cenc:default_KID})
     * @param licenceUrl the Clear Key licence server URL, or null
     * @return the descriptor
     */
    public static ContentProtection w3cCommon(List<UUID> kids, String licenceUrl) {
        byte[] box = Pssh.w3cCommonBox(kids);
        return new ContentProtection(W3C_COMMON_SCHEME, null, kids.get(0), box, licenceUrl);
    }

    /**
     * @return a copy of the pssh box, or null
     */
    @Override
    public byte[] pssh() {
        return pssh == null ? null : pssh.clone();
    }

    /**
     * @return the pssh box in base64 (standard alphabet, padded: {@code xs:base64Binary}), or null
     */
    public String psshBase64() {
        return pssh == null ? null : Base64.getEncoder().encodeToString(pssh);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentProtection c && schemeIdUri.equals(c.schemeIdUri)
                && Objects.equals(value, c.value) && Objects.equals(defaultKid, c.defaultKid)
                && Arrays.equals(pssh, c.pssh) && Objects.equals(licenceUrl, c.licenceUrl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schemeIdUri, value, defaultKid, Arrays.hashCode(pssh), licenceUrl);
    }

    @Override
    public String toString() {
        return "ContentProtection[schemeIdUri=" + schemeIdUri + ", value=" + value + ", defaultKid=" + defaultKid
                + ", pssh=" + psshBase64() + ", licenceUrl=" + licenceUrl + "]";
    }
}
