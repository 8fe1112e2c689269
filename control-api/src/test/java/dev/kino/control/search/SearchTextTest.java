package dev.kino.control.search;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The shortcuts of the text rules give what the general rules give. */
class SearchTextTest {
    /** Characters the simple fold takes, with the Cyrillic block's edges and letters that have decompositions. */
    private static final String SIMPLE = "aZ09 -'`_.,!?\"%&()[]{}<>/\\@#~^|*+=:;АаЁёЙйЇїІіЄєҐґЎўЫыЭэЪъЬьЀѐЍѝӁӂӐӑӜӝ҂Ѐӿ";

    @Test
    void foldOfAsciiAndCyrillicIsTheGeneralFold() {
        Random rnd = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = 0, n = rnd.nextInt(12); k < n; k++) {
                b.append(rnd.nextInt(4) == 0 ? (char) rnd.nextInt(0x80) : SIMPLE.charAt(rnd.nextInt(SIMPLE.length())));
            }
            String text = b.toString();
            String simple = SearchText.foldSimple(text);
            assertNotNull(simple, text);
            assertEquals(SearchText.foldAny(text), simple, text);
        }
        for (char c = 0x400; c <= 0x4FF; c++) {
            String text = "Ab" + c + "Вг " + c;
            String simple = SearchText.foldSimple(text);
            if (c >= 0x483 && c <= 0x489) {
                assertNull(simple, "combining marks take the general path");
            } else {
                assertEquals(SearchText.foldAny(text), simple, Integer.toHexString(c));
            }
        }
    }

    @Test
    void otherTextTakesTheGeneralFold() {
        for (String text : new String[]{"Pokémon", "ｆｕｌｌｗｉｄｔｈ", "И\u0306ога", "進撃の巨人", "İstanbul", "ﬁlm", "п’ять"}) {
            assertNull(SearchText.foldSimple(text), text);
            assertEquals(SearchText.foldAny(text), SearchText.fold(text));
        }
        assertEquals("pokemon", SearchText.fold("Pokémon"));
        assertEquals("пять", SearchText.fold("п'ять"));
        assertEquals("йога", SearchText.fold("И\u0306ога"));
    }
}
