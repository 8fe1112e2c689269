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

    private static SearchIndex.Stored roundTrip(SearchIndex.Stored s) {
        byte[] bytes = StoredCodec.encode(s);
        byte[] padded = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, padded, 5, bytes.length); // read at an offset, as doc values hand it over
        return StoredCodec.decode(new BytesRef(padded, 5, bytes.length));
    }
}
