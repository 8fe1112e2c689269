package dev.kino.protocol.key;

/**
 * The {@code "type"} member of W3C EME Clear Key licence requests and licences (EME §9.1.3, §9.1.4), i.e. the
 * {@code MediaKeySessionType} of the session (EME §3.2).
 */
public enum ClearKeySessionType {
    /** {@code "temporary"}: keys live only as long as the session; what browsers request by default. */
    TEMPORARY("temporary"),
    /** {@code "persistent-license"}: the licence may be stored by the CDM. */
    PERSISTENT_LICENSE("persistent-license");

    private final String json;

    ClearKeySessionType(String json) {
        this.json = json;
    }

    /**
     * @return the JSON string value, e.g. {@code temporary}
     */
    public String json() {
        return json;
    }

    /**
     * @param value the JSON string value
     * @return the matching type
     * @throws LicenceMessageException if the value is not one of the EME session types Clear Key supports
     */
    public static ClearKeySessionType fromJson(String value) {
        for (ClearKeySessionType t : values()) {
            if (t.json.equals(value)) {
                return t;
            }
        }
        throw new LicenceMessageException("unknown session type \"" + ClearKeyJson.clip(value)
                + "\" (expected \"temporary\" or \"persistent-license\")");
    }
}
