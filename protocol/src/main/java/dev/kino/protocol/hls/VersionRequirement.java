package dev.kino.protocol.hls;

/**
 * A protocol version needed by a playlist feature and the RFC 8216 §7 rule that needs it; package-private,
 * used in error messages.
 */
record VersionRequirement(int version, String reason) {

    static final VersionRequirement BASELINE = new VersionRequirement(1, "no feature needs more than version 1");

    VersionRequirement max(int otherVersion, String otherReason) {
        return otherVersion > version ? new VersionRequirement(otherVersion, otherReason) : this;
    }
}
