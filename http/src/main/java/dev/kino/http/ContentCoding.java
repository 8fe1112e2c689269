package dev.kino.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Content-coding negotiation from {@code Accept-Encoding} (RFC 9110 §12.5.3) and the one gzip encoder.
 *
 * <p>Each listed coding carries a weight ({@code q}, 0 to 1, default 1; §12.4.2); {@code q=0} means "not
 * acceptable". {@code x-gzip} is {@code gzip} (§8.4.1.3). A coding not listed takes the weight of {@code *} when
 * {@code *} is listed, else is not acceptable, except {@code identity}, which is acceptable unless refused with
 * {@code identity;q=0} or with {@code *;q=0} and not listed; when neither identity nor {@code *} is listed, identity
 * is sent only if no listed coding is acceptable. Ties go to a coding over identity. So:
 *
 * <pre>
 * (no header)          → identity (any coding would do; identity is the cheapest)
 * gzip                 → gzip
 * gzip;q=0, *          → identity   (gzip refused explicitly; * covers identity)
 * x-gzip / *           → gzip
 * identity;q=0, gzip   → gzip
 * identity;q=0         → nothing acceptable ({@link #select} returns null)
 * </pre>
 */
public final class ContentCoding {
    /** The gzip coding name. */
    public static final String GZIP = "gzip";
    /** The "no coding" name. */
    public static final String IDENTITY = "identity";

    private ContentCoding() {
    }

    /**
     * Picks the coding to send.
     *
     * @param acceptEncoding the request's {@code Accept-Encoding} value, or null when absent
     * @param offered codings this representation is available in besides identity (e.g. {@code gzip}), in the
     *     server's order of preference
     * @return one of {@code offered} or {@link #IDENTITY}, the highest weighted, ties going to the earlier offered
     *     coding and identity last; null when the client accepts none of them (the caller may answer 406 or,
     *     as §12.5.3 allows, send identity anyway)
     */
    public static String select(String acceptEncoding, String... offered) {
        if (acceptEncoding == null) {
            return IDENTITY;
        }
        Map<String, Double> weights = parse(acceptEncoding);
        Double star = weights.get("*");
        String best = null;
        double bestQ = 0;
        for (String coding : offered) {
            double q = weights.getOrDefault(normalise(coding), star == null ? 0.0 : star);
            if (q > bestQ) {
                best = coding;
                bestQ = q;
            }
        }
        Double idq = weights.get(IDENTITY);
        if (idq == null && star == null) {
            // identity is acceptable but unweighted: the client listed what it prefers, so any coding it
            // accepts goes first.
            return best != null ? best : IDENTITY;
        }
        double identity = idq != null ? idq : star;
        if (best != null && bestQ >= identity) {
            return best;
        }
        return identity > 0 ? IDENTITY : best;
    }

    /**
     * @param acceptEncoding the request's {@code Accept-Encoding}, or null
     * @return true when gzip should be sent rather than identity
     */
    public static boolean prefersGzip(String acceptEncoding) {
        return GZIP.equals(select(acceptEncoding, GZIP));
    }

    /**
     * @param bytes the content
     * @return the content gzip-compressed (RFC 1952)
     */
    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 3));
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        return out.toByteArray();
    }

    private static Map<String, Double> parse(String header) {
        Map<String, Double> weights = new HashMap<>();
        for (String item : header.split(",")) {
            String[] parts = item.split(";");
            String coding = normalise(parts[0].trim());
            if (coding.isEmpty()) {
                continue;
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim().toLowerCase(Locale.ROOT);
                if (param.startsWith("q=")) {
                    q = weight(param.substring(2).trim());
                }
            }
            weights.merge(coding, q, Math::max);
        }
        return weights;
    }

    /** A qvalue (§12.4.2): 0 to 1 with up to three decimals; anything else counts as a refusal. */
    private static double weight(String v) {
        if (!v.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
            return 0;
        }
        return Double.parseDouble(v);
    }

    private static String normalise(String coding) {
        String c = coding.toLowerCase(Locale.ROOT);
        return c.equals("x-gzip") ? GZIP : c;
    }
}
