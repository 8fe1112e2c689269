package dev.kino.app.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LanguagesTest {
    @Test
    void threeLetterCodesBecomeTheShortestTag() {
        assertEquals("en", Languages.toBcp47("eng"));
        assertEquals("ja", Languages.toBcp47("jpn"));
        assertEquals("uk", Languages.toBcp47("ukr"));
        assertEquals("fr", Languages.toBcp47("fre"));
        assertEquals("fr", Languages.toBcp47("FRA"));
        assertEquals("de", Languages.toBcp47("ger"));
        assertEquals("en", Languages.toBcp47("en"));
        assertEquals("und", Languages.toBcp47("und"));
        assertEquals("yue", Languages.toBcp47("yue"), "no two-letter code: kept");
    }
}
