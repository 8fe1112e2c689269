package dev.kino.control.search;

import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A title's stored form reads back as written: every field, nulls, scripts outside the BMP, order of the lists. */
class StoredCodecTest {
    @Test
    void readsBackWhatWasWritten() {
        Map<String, String> synopses = new LinkedHashMap<>();
        synopses.put("uk", "Людство живе за стінами. ".repeat(150));
        synopses.put("en", "Humanity lives behind walls 🧱.");
        SearchIndex.Stored full = new SearchIndex.Stored(UUID.randomUUID(), "series", 2013, 16, "進撃の巨人", "ja",
                List.of(List.of("ja", "進撃の巨人"), List.of("en", "Attack on Titan"), List.of("uk", "Атака титанів")),
                List.of("action", "drama"), List.of("walls"), List.of("Wit Studio"), List.of("Hajime Isayama", "𠮷田"),
                synopses);
        assertEquals(full, roundTrip(full));
        SearchIndex.Stored sparse = new SearchIndex.Stored(new UUID(0, 0), "movie", null, 0, "", null,
                List.of(List.of("original", "")), List.of(), List.of(), List.of(), List.of(), Map.of());
        assertEquals(sparse, roundTrip(sparse));
        assertEquals(List.of("ja", "en", "uk"), roundTrip(full).names().stream().map(n -> n.get(0)).toList());
        assertEquals(List.of("uk", "en"), List.copyOf(roundTrip(full).synopses().keySet()));
    }

    /**
     * Each name's word spans are kept with it (computed when indexed) and read back: the same as splitting the name
     * again, Japanese by its romaji reading, so that a hit's highlight does not depend on which was used.
     */
    @Test
    void keepsEachNamesWordSpans() {
        List<List<String>> names = List.of(List.of("ja", "進撃の巨人"), List.of("en", "Attack on Titan"),
                List.of("uk", "Атака титанів"), List.of("ru", "П'ять ночей"), List.of("original", ""));
        SearchIndex.Stored s = roundTrip(new SearchIndex.Stored(UUID.randomUUID(), "series", 2013, 16, "進撃の巨人",
                "ja", names, List.of(), List.of(), List.of(), List.of(), Map.of()));
        assertEquals(names.size(), s.nameSpans().size());
        for (int i = 0; i < names.size(); i++) {
            assertEquals(Highlighter.spans(names.get(i).get(1)), s.nameSpans().get(i), names.get(i).get(1));
        }
        assertEquals(List.of(), s.nameSpans().get(4));
        assertEquals(List.of(SearchText.key("атака"), SearchText.key("титанів")),
                s.nameSpans().get(2).stream().map(Highlighter.Span::key).toList());
        for (String q : List.of("shingeki no kyojin", "атака тита", "attack titan", "пять", "kiojin")) {
            ParsedQuery parsed = ParsedQuery.of(q, false);
            for (int i = 0; i < names.size(); i++) {
                assertEquals(Highlighter.match(names.get(i).get(1), parsed), Highlighter.match(s.nameSpans().get(i), parsed),
                        q + " in " + names.get(i).get(1));
            }
        }
        assertEquals(3, Highlighter.match(s.nameSpans().get(0), ParsedQuery.of("shingeki no kyojin", false))
                .matchedWords());
    }

    private static SearchIndex.Stored roundTrip(SearchIndex.Stored s) {
        byte[] bytes = StoredCodec.encode(s);
        byte[] padded = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, padded, 5, bytes.length); // read at an offset, as doc values hand it over
        return StoredCodec.decode(new BytesRef(padded, 5, bytes.length));
    }
}
