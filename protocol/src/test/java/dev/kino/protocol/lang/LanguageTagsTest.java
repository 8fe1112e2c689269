package dev.kino.protocol.lang;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LanguageTagsTest {
    @Test
    void threeLetterCodesBecomeTheShortestTag() {
        assertEquals("en", LanguageTags.toBcp47("eng"));
        assertEquals("ja", LanguageTags.toBcp47("jpn"));
        assertEquals("uk", LanguageTags.toBcp47("ukr"));
        assertEquals("fr", LanguageTags.toBcp47("fre"));
        assertEquals("fr", LanguageTags.toBcp47("FRA"));
        assertEquals("de", LanguageTags.toBcp47("ger"));
        assertEquals("en", LanguageTags.toBcp47("en"));
        assertEquals("und", LanguageTags.toBcp47("und"));
        assertEquals("yue", LanguageTags.toBcp47("yue"), "no two-letter code: kept");
    }

    @Test
    void englishNamesFromAnyIso639Form() {
        assertEquals(java.util.Optional.of("Japanese"), LanguageTags.englishName("jpn"));
        assertEquals(java.util.Optional.of("Japanese"), LanguageTags.englishName("JA"));
        assertEquals(java.util.Optional.of("French"), LanguageTags.englishName("fre"));
        assertEquals(java.util.Optional.of("Ukrainian"), LanguageTags.englishName("ukr"));
        assertEquals(java.util.Optional.empty(), LanguageTags.englishName("und"));
        assertEquals(java.util.Optional.empty(), LanguageTags.englishName("qqq"));
    }
}
