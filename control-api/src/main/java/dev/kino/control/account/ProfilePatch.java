package dev.kino.control.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.control.InvalidInputException;
import dev.kino.control.Validation;
import dev.kino.control.account.AccountTypes.Maturity;

import java.net.URI;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A checked {@code PATCH /me} ({@link AccountTypes.MePatch}): each field is null when absent (unchanged); a present
 * text field holds its new value in a {@link Text}, whose value is null to clear it.
 *
 * @param displayName new display name, up to {@value #DISPLAY_NAME_MAX} characters
 * @param avatarUrl new avatar, an https URL
 * @param bio new bio, up to {@value #BIO_MAX} characters
 * @param audioLanguages new preferred audio languages, canonical BCP 47 tags without duplicates
 * @param subtitleLanguages new preferred subtitle languages
 * @param maturity new content rating limit
 * @param showActivity whether the public profile shows what the account rated
 */
public record ProfilePatch(Text displayName, Text avatarUrl, Text bio, List<String> audioLanguages,
                           List<String> subtitleLanguages, Maturity maturity, Boolean showActivity) {
    public static final int BIO_MAX = 2000;
    public static final int DISPLAY_NAME_MAX = 64;
    public static final int LANGUAGES_MAX = 10;
    private static final Set<String> PATCHABLE = Set.of("displayName", "avatarUrl", "bio", "preferredAudioLanguages",
            "preferredSubtitleLanguages", "maturity", "showActivity");

    /** @param value the new text, or null to clear the field */
    public record Text(String value) {
    }

    /** @return true when nothing changes */
    public boolean empty() {
        return displayName == null && avatarUrl == null && bio == null && audioLanguages == null
                && subtitleLanguages == null && maturity == null && showActivity == null;
    }

    /**
     * Reads a merge-patch body, where an absent field and a null one differ.
     *
     * @throws InvalidInputException listing every invalid or unknown field
     */
    public static ProfilePatch parse(JsonNode patch) {
        Validation v = new Validation();
        for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!PATCHABLE.contains(f)) {
                v.add(f, "is not a field of your profile (allowed: " + String.join(", ", new TreeSet<>(PATCHABLE)) + ")");
            }
        }
        Text displayName = text(patch, "displayName", DISPLAY_NAME_MAX, v);
        Text bio = text(patch, "bio", BIO_MAX, v);
        Text avatarUrl = text(patch, "avatarUrl", 2048, v);
        if (avatarUrl != null && avatarUrl.value() != null && !isHttpsUrl(avatarUrl.value())) {
            v.add("avatarUrl", "must be an https:// URL");
        }
        List<String> audio = languages(patch, "preferredAudioLanguages", v);
        List<String> subtitles = languages(patch, "preferredSubtitleLanguages", v);
        Maturity maturity = null;
        if (patch.has("maturity")) {
            JsonNode m = patch.get("maturity");
            try {
                maturity = Maturity.valueOf(m.asText());
                v.check("maturity", m.isTextual(), "must be a string");
            } catch (IllegalArgumentException e) {
                v.add("maturity", "must be one of " + List.of(Maturity.values()));
            }
        }
        Boolean showActivity = null;
        if (patch.has("showActivity")) {
            JsonNode a = patch.get("showActivity");
            if (v.check("showActivity", a.isBoolean(), "must be true or false")) {
                showActivity = a.booleanValue();
            }
        }
        v.throwIfInvalid();
        return new ProfilePatch(displayName, avatarUrl, bio, audio, subtitles, maturity, showActivity);
    }

    private static Text text(JsonNode patch, String field, int max, Validation v) {
        if (!patch.has(field)) {
            return null;
        }
        JsonNode n = patch.get(field);
        if (n.isNull()) {
            return new Text(null);
        }
        if (!n.isTextual()) {
            v.add(field, "must be a string or null");
            return null;
        }
        String s = n.asText().strip();
        v.check(field, s.codePointCount(0, s.length()) <= max, "must be at most " + max + " characters");
        return new Text(s.isEmpty() ? null : s);
    }

    private static List<String> languages(JsonNode patch, String field, Validation v) {
        if (!patch.has(field)) {
            return null;
        }
        JsonNode n = patch.get(field);
        if (!n.isArray()) {
            v.add(field, "must be an array of BCP 47 language tags");
            return null;
        }
        if (n.size() > LANGUAGES_MAX) {
            v.add(field, "must list at most " + LANGUAGES_MAX + " languages");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            String tag = e.isTextual() ? e.asText() : null;
            String canonical = tag == null ? null : bcp47(tag);
            if (canonical == null) {
                v.add(field + "[" + i + "]", "must be a BCP 47 language tag such as en, pt-BR or zh-Hant");
            } else if (!out.contains(canonical)) {
                out.add(canonical);
            }
        }
        return List.copyOf(out);
    }

    /** @return the canonical form of a well-formed BCP 47 tag with a language, or null */
    static String bcp47(String tag) {
        try {
            Locale l = new Locale.Builder().setLanguageTag(tag).build();
            return l.getLanguage().isEmpty() ? null : l.toLanguageTag();
        } catch (IllformedLocaleException e) {
            return null;
        }
    }

    static boolean isHttpsUrl(String s) {
        try {
            URI u = new URI(s);
            return "https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null && !u.getHost().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}
