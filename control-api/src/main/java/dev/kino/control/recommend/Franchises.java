package dev.kino.control.recommend;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which titles are one franchise, for diversity ("not ten seasons of one franchise"): titles whose names reduce to the
 * same key. The key is the English (else original) name lower-cased, cut at a subtitle ({@code :}, {@code  - },
 * {@code (}) and at a word such as season, part, cour, movie or film, with ordinal numbers and Roman numerals dropped:
 * "Attack on Titan Season 2", "Attack on Titan: The Final Season" and "Attack on Titan" share "attack on titan". A name
 * that reduces to nothing is its own key.
 */
public final class Franchises {
    private static final Pattern SUBTITLE = Pattern.compile("(:| - | – | — |\\().*$");
    private static final Pattern SEQUEL_WORD = Pattern.compile(
            "(?U)\\b(season|seasons|part|cour|movie|film|chapter|the final|final season|сезон|частина|фільм)\\b.*$");
    private static final Pattern NUMBERING = Pattern.compile(
            "(?U)\\b(\\d+(st|nd|rd|th)?|ii|iii|iv|v|vi|vii|viii|ix|x)\\b");
    private static final Pattern NON_WORD = Pattern.compile("(?U)[^\\p{L}\\p{N}]+");

    private Franchises() {
    }

    /**
     * @param name a title's English (else original) name
     * @return its franchise key, never empty
     */
    public static String key(String name) {
        String full = name.toLowerCase(Locale.ROOT).trim();
        String s = SUBTITLE.matcher(full).replaceFirst("");
        s = SEQUEL_WORD.matcher(s).replaceFirst("");
        s = NUMBERING.matcher(s).replaceAll(" ");
        s = NON_WORD.matcher(s).replaceAll(" ").trim();
        return s.isEmpty() ? full : s;
    }
}
