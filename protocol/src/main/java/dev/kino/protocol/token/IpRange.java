package dev.kino.protocol.token;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address range in CIDR notation (RFC 4632 §3.1 for IPv4, RFC 4291 §2.3 for IPv6),
 * used to bind a playback token to a client. Immutable and thread-safe.
 *
 * <p>Parsing is done by hand and never touches DNS: only address literals are accepted, in the
 * forms of RFC 4291 §2.2 for IPv6 (including {@code ::} compression and a trailing dotted IPv4
 * part) and strict dotted-quad for IPv4 (exactly four decimal parts 0-255, no leading zeros, so
 * there is no octal or shortened-form ambiguity). Zone ids ({@code fe80::1%eth0}) are rejected.
 *
 * <p>Ranges are canonical: the bits after the prefix length must be zero ({@code 10.1.2.3/8} is
 * rejected; write {@code 10.0.0.0/8}), so each range has exactly one encoding.
 *
 * <p><b>IPv4-mapped IPv6 addresses</b> ({@code ::ffff:0:0/96}, RFC 4291 §2.5.5.2) are treated as
 * the IPv4 address they carry, everywhere: a range written as {@code ::ffff:198.51.100.0/120} is
 * stored as the IPv4 range {@code 198.51.100.0/24}, and a client address {@code ::ffff:198.51.100.7}
 * (what a dual-stack socket reports for an IPv4 client) is matched as {@code 198.51.100.7}. As a
 * consequence IPv4 ranges never match native IPv6 clients and IPv6 ranges (even {@code ::/0}) never
 * match IPv4 clients.
 */
public final class IpRange {

    private static final int MAX_TEXT_LENGTH = 64;

    private final byte[] network; // 4 or 16 bytes, host bits zero, never IPv4-mapped
    private final int prefixLength;

    private IpRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses a CIDR range ({@code 203.0.113.0/24}, {@code 2001:db8::/32}) or a single address literal
     * ({@code 203.0.113.7} means {@code /32}, {@code 2001:db8::1} means {@code /128}).
     *
     * @param text the range, not null; at most 64 characters
     * @return the range
     * @throws IllegalArgumentException if {@code text} is not a literal CIDR range, the prefix length is
     *     out of range (0-32 for IPv4, 0-128 for IPv6, decimal without leading zeros), or host bits are set
     * @throws NullPointerException if {@code text} is null
     */
    public static IpRange parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("not a CIDR range: too long");
        }
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        byte[] address = parseLiteral(addressText);
        if (address == null) {
            throw new IllegalArgumentException("not an IP address literal: " + printable(addressText));
        }
        int prefix;
        if (slash < 0) {
            prefix = address.length * 8;
        } else {
            prefix = parsePrefix(text.substring(slash + 1));
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + printable(text));
            }
        }
        return of(address, prefix);
    }

    /**
     * The range of one address ({@code /32} or {@code /128}).
     *
     * @param address the address, not null
     * @return the single-address range
     * @throws NullPointerException if {@code address} is null
     */
    public static IpRange single(InetAddress address) {
        byte[] bytes = Objects.requireNonNull(address, "address").getAddress();
        return of(bytes, bytes.length * 8);
    }

    /**
     * A range from raw network-order address bytes and a prefix length.
     *
     * @param address 4 (IPv4) or 16 (IPv6) bytes, network byte order; copied
     * @param prefixLength 0-32 for IPv4, 0-128 for IPv6 (IPv4-mapped IPv6: 96-128, converted to IPv4)
     * @return the range
     * @throws IllegalArgumentException on a bad length, prefix length, or host bits set
     * @throws NullPointerException if {@code address} is null
     */
    public static IpRange of(byte[] address, int prefixLength) {
        Objects.requireNonNull(address, "address");
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, was " + address.length);
        }
        if (prefixLength < 0 || prefixLength > address.length * 8) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
        byte[] bytes = address.clone();
        if (bytes.length == 16 && isIpv4Mapped(bytes)) {
            if (prefixLength < 96) {
                throw new IllegalArgumentException("IPv4-mapped range must have a prefix length of at least 96");
            }
            bytes = Arrays.copyOfRange(bytes, 12, 16);
            prefixLength -= 96;
        }
        if (!hostBitsZero(bytes, prefixLength)) {
            throw new IllegalArgumentException("host bits set in range; use the network address");
        }
        return new IpRange(bytes, prefixLength);
    }

    /**
     * Parses an IP address literal without DNS (same rules as {@link #parse}, without a prefix).
     * {@link InetAddress#getByAddress(byte[])} is used to build the result, which never resolves names.
     *
     * @param text an IPv4 dotted quad or IPv6 literal, not null
     * @return the address ({@link Inet4Address} for IPv4 and IPv4-mapped IPv6 literals)
     * @throws IllegalArgumentException if {@code text} is not an address literal
     * @throws NullPointerException if {@code text} is null
     */
    public static InetAddress parseAddress(String text) {
        Objects.requireNonNull(text, "text");
        byte[] bytes = text.length() > MAX_TEXT_LENGTH ? null : parseLiteral(text);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address literal: " + printable(text));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) { // only for a bad length, which cannot happen
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Whether {@code address} is inside this range. IPv4-mapped IPv6 addresses are matched as IPv4;
     * an IPv6 scope id is ignored.
     *
     * @param address the client address; null is never inside
     * @return {@code true} if inside
     */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        int offset = 0;
        if (bytes.length == 16 && isIpv4Mapped(bytes)) {
            offset = 12;
        }
        if (bytes.length - offset != network.length) {
            return false;
        }
        int fullBytes = prefixLength >>> 3;
        for (int i = 0; i < fullBytes; i++) {
            if (bytes[offset + i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength & 7;
        if (rest != 0) {
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (bytes[offset + fullBytes] & mask) == (network[fullBytes] & 0xFF);
        }
        return true;
    }

    /**
     * @return {@code true} for an IPv6 range, {@code false} for IPv4
     */
    public boolean isIpv6() {
        return network.length == 16;
    }

    /**
     * @return the prefix length in bits: 0-32 for IPv4, 0-128 for IPv6
     */
    public int prefixLength() {
        return prefixLength;
    }

    /**
     * @return a copy of the network address: 4 or 16 bytes, network byte order, host bits zero
     */
    public byte[] networkAddress() {
        return network.clone();
    }

    byte[] networkAddressUnsafe() {
        return network;
    }

    /**
     * Canonical CIDR text: {@code 203.0.113.0/24}, or IPv6 in RFC 5952 form ({@code 2001:db8::/32}).
     * The prefix length is always present. {@code parse(r.toString())} equals {@code r}.
     *
     * @return the CIDR text
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(48);
        if (network.length == 4) {
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    sb.append('.');
                }
                sb.append(network[i] & 0xFF);
            }
        } else {
            appendIpv6(sb, network);
        }
        return sb.append('/').append(prefixLength).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange other && other.prefixLength == prefixLength && Arrays.equals(other.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    // ---------------------------------------------------------------- parsing

    static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }

    private static boolean hostBitsZero(byte[] b, int prefixLength) {
        for (int bit = prefixLength; bit < b.length * 8; bit++) {
            if ((b[bit >>> 3] & (0x80 >>> (bit & 7))) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Decimal 0-128 without sign or leading zeros; -1 if invalid. */
    private static int parsePrefix(String s) {
        if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** 4 or 16 bytes, or null if {@code s} is not a literal. */
    static byte[] parseLiteral(String s) {
        if (s.indexOf(':') >= 0) {
            return parseIpv6(s);
        }
        byte[] out = new byte[4];
        return parseIpv4(s, out, 0) ? out : null;
    }

    /** Strict dotted quad into {@code out[off..off+4)}. */
    private static boolean parseIpv4(String s, byte[] out, int off) {
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part > 3) {
                    return false;
                }
                out[off + part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) { // leading zero
                    return false;
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return part == 4;
    }

    /** RFC 4291 §2.2 text forms 1-3; null if invalid. */
    private static byte[] parseIpv6(String s) {
        if (s.length() < 2) {
            return null;
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl < 0 ? s : s.substring(0, dbl);
        String tail = dbl < 0 ? "" : s.substring(dbl + 2);
        int[] headWords = new int[8];
        int[] tailWords = new int[8];
        // The dotted IPv4 part may only be the last group of the whole address.
        int nHead = parseGroups(head, headWords, dbl < 0);
        if (nHead < 0) {
            return null;
        }
        int nTail = parseGroups(tail, tailWords, true);
        if (nTail < 0) {
            return null;
        }
        if (dbl < 0 ? nHead != 8 : nHead + nTail > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < nHead; i++) {
            out[2 * i] = (byte) (headWords[i] >>> 8);
            out[2 * i + 1] = (byte) headWords[i];
        }
        for (int i = 0; i < nTail; i++) {
            int w = 8 - nTail + i;
            out[2 * w] = (byte) (tailWords[i] >>> 8);
            out[2 * w + 1] = (byte) tailWords[i];
        }
        return out;
    }

    /**
     * Parses colon-separated groups into 16-bit words; returns the number of words or -1. An empty
     * string is zero groups. If {@code ipv4AllowedLast}, the last group may be a dotted quad (2 words).
     */
    private static int parseGroups(String s, int[] words, boolean ipv4AllowedLast) {
        if (s.isEmpty()) {
            return 0;
        }
        int n = 0;
        int start = 0;
        while (true) {
            int colon = s.indexOf(':', start);
            int end = colon < 0 ? s.length() : colon;
            int len = end - start;
            if (len == 0) {
                return -1;
            }
            if (colon < 0 && ipv4AllowedLast && s.indexOf('.', start) >= 0) {
                if (n + 2 > 8) {
                    return -1;
                }
                byte[] v4 = new byte[4];
                if (!parseIpv4(s.substring(start), v4, 0)) {
                    return -1;
                }
                words[n++] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
                words[n++] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
                return n;
            }
            if (len > 4 || n >= 8) {
                return -1;
            }
            int w = 0;
            for (int i = start; i < end; i++) {
                int d = Character.digit(s.charAt(i), 16);
                if (d < 0 || s.charAt(i) > 'f') { // Character.digit also accepts non-ASCII digits
                    return -1;
                }
                w = (w << 4) | d;
            }
            words[n++] = w;
            if (colon < 0) {
                return n;
            }
            start = colon + 1;
        }
    }

    /** RFC 5952 §4: lowercase, no leading zeros, longest run of two or more zero words as "::". */
    private static void appendIpv6(StringBuilder sb, byte[] b) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) { // no ':' right after "::"
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < MAX_TEXT_LENGTH; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return '"' + sb.toString() + '"';
    }
}
