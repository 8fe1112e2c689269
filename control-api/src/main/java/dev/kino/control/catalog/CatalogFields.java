package dev.kino.control.catalog;

import dev.kino.common.packaging.Protection;
import dev.kino.control.Validation;
import dev.kino.protocol.token.TitleId;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Field checks shared by the catalogue's inputs; each records its errors on a {@link Validation}. */
public final class CatalogFields {
    /** BCP 47-like language code: {@code en}, {@code ja}, {@code ja-Latn}, {@code pt-BR}. */
    public static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}");
    /** Rendition name such as {@code 1080p}. */
    public static final Pattern RENDITION = Pattern.compile("[1-9][0-9]{2,3}p");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern AGE = Pattern.compile("([0-9]{1,2})\\+");
    public static final Set<String> SOURCES = Set.of("mal", "anilist", "kitsu", "tmdb");
    public static final Set<String> PROTECTIONS = Set.copyOf(Protection.wireNames());
    public static final Set<String> ACCESS = Set.of("free", "registered", "subscription");
    public static final Set<String> KINDS = Set.of("movie", "series");

    private CatalogFields() {
    }

    /** @return the minimum age of {@code all} or {@code N+}, or -1 when malformed (or above 21) */
    public static int minAge(String rating) {
        if (rating == null || rating.equals("all")) {
            return 0;
        }
        var m = AGE.matcher(rating);
        if (!m.matches()) {
            return -1;
        }
        int age = Integer.parseInt(m.group(1));
        return age <= 21 ? age : -1;
    }

    /** @return {@code all} for 0, else {@code N+} */
    public static String rating(int minAge) {
        return minAge == 0 ? "all" : minAge + "+";
    }

    public static void languages(Validation v, String field, List<String> codes) {
        if (codes == null) {
            return;
        }
        v.check(field, codes.size() <= 50, "at most 50 languages");
        for (int i = 0; i < codes.size(); i++) {
            String c = codes.get(i);
            v.check(field + "[" + i + "]", c != null && LANGUAGE.matcher(c).matches(),
                    "must be a language code such as en, ja or pt-BR");
        }
    }

    public static void localised(Validation v, String field, Map<String, String> map, int maxLength) {
        if (map == null) {
            return;
        }
        v.check(field, map.size() <= 50, "at most 50 languages");
        map.forEach((lang, text) -> {
            v.check(field + "." + lang, LANGUAGE.matcher(lang).matches(), "key must be a language code such as en, ja or ja-Latn");
            v.check(field + "." + lang, text != null && !text.isBlank() && text.length() <= maxLength,
                    "must be 1 to " + maxLength + " characters");
        });
    }

    /** Validates and lower-cases a list of words (genres, tags). */
    public static List<String> words(Validation v, String field, List<String> words) {
        if (words == null) {
            return List.of();
        }
        v.check(field, words.size() <= 50, "at most 50 entries");
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (v.check(field + "[" + i + "]", w != null && !w.isBlank() && w.length() <= 64, "must be 1 to 64 characters")) {
                out.add(w.trim().toLowerCase(Locale.ROOT));
            }
        }
        return new ArrayList<>(out);
    }

    public static List<String> names(Validation v, String field, List<String> names) {
        if (names == null) {
            return List.of();
        }
        v.check(field, names.size() <= 50, "at most 50 entries");
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String w = names.get(i);
            if (v.check(field + "[" + i + "]", w != null && !w.isBlank() && w.length() <= 200, "must be 1 to 200 characters")) {
                out.add(w.trim());
            }
        }
        return new ArrayList<>(out);
    }

    public static void externalIds(Validation v, Map<String, String> ids) {
        if (ids == null) {
            return;
        }
        ids.forEach((source, id) -> {
            v.check("externalIds." + source, SOURCES.contains(source), "source must be one of mal, anilist, kitsu, tmdb");
            v.check("externalIds." + source, id != null && EXTERNAL_ID.matcher(id).matches(),
                    "must be 1 to 64 letters, digits, '_', '.' or '-'");
        });
    }

    public static void titleId(Validation v, String field, String id) {
        if (id != null) {
            v.check(field, TitleId.isValid(id), "must be 1 to " + TitleId.MAX_LENGTH
                    + " characters of A-Z, a-z, 0-9, '_', '-' and '.', starting with a letter or digit, no '..'"
                    + " (the folder name under media.root)");
        }
    }

    public static void renditions(Validation v, List<String> renditions) {
        if (renditions == null) {
            return;
        }
        for (int i = 0; i < renditions.size(); i++) {
            String r = renditions.get(i);
            v.check("renditions[" + i + "]", r != null && RENDITION.matcher(r).matches(), "must be a height such as 1080p");
        }
    }
}
