package dev.kino.protocol.lang;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Language tags as Kino writes them in playlists, MPDs and the catalogue: the shortest ISO 639 code, as BCP 47 (RFC 5646 §2.2.1) asks
 * ({@code en}, {@code ja}, {@code uk}), where containers tag streams with ISO 639-2 codes ({@code eng},
 * {@code jpn}, {@code ukr}, or the bibliographic {@code fre}, {@code ger}, {@code chi}).
 */
public final class LanguageTags {
    private static final Map<String, String> TWO_LETTER = new HashMap<>();

    static {
        for (String two : Locale.getISOLanguages()) {
            try {
                TWO_LETTER.put(Locale.forLanguageTag(two).getISO3Language(), two);
            } catch (java.util.MissingResourceException ignored) {
                // a code with no three-letter form keeps its own
            }
        }
        // ISO 639-2/B codes some muxers write instead of the terminological ones.
        Map.of("fre", "fr", "ger", "de", "chi", "zh", "cze", "cs", "dut", "nl", "gre", "el", "per", "fa",
                "rum", "ro", "slo", "sk", "wel", "cy").forEach(TWO_LETTER::putIfAbsent);
    }

    private LanguageTags() {
    }

    /**
     * @param code an ISO 639-1, 639-2/T or 639-2/B code, any case ({@code und} for unknown)
     * @return the two-letter code where one exists, else the code lower-cased (never null)
     * @throws NullPointerException when {@code code} is null
     */
    public static String toBcp47(String code) {
        String c = code.toLowerCase(Locale.ROOT);
        return c.length() == 3 ? TWO_LETTER.getOrDefault(c, c) : c;
    }

    /**
     * The language's English name, for people (an HLS rendition's {@code NAME}, a DASH {@code Label}).
     *
     * @param code an ISO 639-1, 639-2/T or 639-2/B code, any case
     * @return its English name ({@code jpn} and {@code ja} give "Japanese"), or empty for {@code und} and for a code
     *     the JDK's ISO 639 table does not know
     * @throws NullPointerException when {@code code} is null
     */
    public static Optional<String> englishName(String code) {
        String tag = toBcp47(code);
        String name = tag.equals("und") ? "" : Locale.forLanguageTag(tag).getDisplayLanguage(Locale.ENGLISH);
        return name.isEmpty() || name.equalsIgnoreCase(tag) ? Optional.empty() : Optional.of(name);
    }
}
