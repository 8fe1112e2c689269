package dev.kino.media.http;

import dev.kino.protocol.token.IpRange;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who the client is: the TCP peer, unless the peer is a trusted proxy ({@code media.trustedProxies}), in which case
 * the address that proxy reports, read from RFC 7239 {@code Forwarded} ({@code for=} parameters) or, without it, from
 * {@code X-Forwarded-For}. The list is read from the right (the hop nearest to this server) and trusted proxies are
 * skipped, so the first address that is not one is the client: a client cannot pass as someone else by sending
 * these headers itself, since anything it wrote stands to the left of what the trusted proxies appended. A peer that
 * is not a trusted proxy is the client whatever headers it sends; so is a trusted peer whose header is absent or
 * unreadable.
 */
final class ClientAddress {
    private ClientAddress() {
    }

    /**
     * @param peer the TCP peer's address, or null when unknown
     * @param forwarded the {@code Forwarded} field value(s), or null
     * @param xForwardedFor the {@code X-Forwarded-For} field value(s), or null
     * @param trusted the trusted proxy ranges; empty trusts nobody
     * @return the client's address
     */
    static InetAddress resolve(InetAddress peer, String forwarded, String xForwardedFor, List<IpRange> trusted) {
        if (peer == null || trusted.isEmpty() || !isTrusted(peer, trusted)) {
            return peer;
        }
        List<String> hops = forwarded != null ? forwardedFor(forwarded) : xForwardedFor != null ? xff(xForwardedFor) : null;
        if (hops == null || hops.isEmpty()) {
            return peer;
        }
        InetAddress nearest = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                return nearest; // unreadable ("unknown", an obfuscated name): the last proxy we trust saw this much
            }
            if (!isTrusted(hop, trusted)) {
                return hop;
            }
            nearest = hop;
        }
        return nearest; // every hop is a trusted proxy: the farthest of them
    }

    private static boolean isTrusted(InetAddress a, List<IpRange> trusted) {
        for (IpRange r : trusted) {
            if (r.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> xff(String header) {
        List<String> out = new ArrayList<>();
        for (String part : header.split(",")) {
            out.add(part.trim());
        }
        return out;
    }

    /** The {@code for=} values of a {@code Forwarded} field, in order (RFC 7239 §4, §6). */
    private static List<String> forwardedFor(String header) {
        List<String> out = new ArrayList<>();
        for (String element : header.split(",")) {
            String value = null;
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                    value = pair.substring(eq + 1).trim();
                }
            }
            out.add(value == null ? "" : value);
        }
        return out;
    }

    /** @return the address of a node name ({@code 192.0.2.43}, {@code "[2001:db8::1]:4711"}), or null for anything else */
    private static InetAddress literal(String node) {
        String n = node.trim();
        if (n.length() >= 2 && n.startsWith("\"") && n.endsWith("\"")) {
            n = n.substring(1, n.length() - 1);
        }
        if (n.startsWith("[")) {
            int close = n.indexOf(']');
            if (close < 0) {
                return null;
            }
            n = n.substring(1, close);
        } else if (n.indexOf(':') >= 0 && n.indexOf(':') == n.lastIndexOf(':') && n.indexOf('.') > 0) {
            n = n.substring(0, n.indexOf(':')); // IPv4 with a port
        }
        if (n.isEmpty() || !n.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            return IpRange.parseAddress(n);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
