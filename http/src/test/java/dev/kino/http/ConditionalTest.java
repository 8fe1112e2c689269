package dev.kino.http;

import io.netty.handler.codec.DateFormatter;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 9110 §13 preconditions for GET/HEAD. */
class ConditionalTest {
    static final String TAG = "\"abc\"";
    static final Instant MODIFIED = Instant.parse("2024-05-01T10:00:00.250Z");

    static String date(Instant t) {
        return DateFormatter.format(Date.from(t));
    }

    @Test
    void comparisons() {
        assertTrue(Conditional.strongMatch("\"a\"", "\"a\""));
        assertFalse(Conditional.strongMatch("W/\"a\"", "\"a\""));
        assertFalse(Conditional.strongMatch("W/\"a\"", "W/\"a\""), "§8.8.3.2: weak tags never match strongly");
        assertTrue(Conditional.weakMatch("W/\"a\"", "\"a\""));
        assertFalse(Conditional.weakMatch("\"a\"", "\"b\""));
    }

    @Test
    void ifNoneMatchListsStarAndWeakTags() {
        assertTrue(Conditional.noneMatchFails(TAG, TAG));
        assertTrue(Conditional.noneMatchFails("W/" + TAG, TAG));
        assertTrue(Conditional.noneMatchFails("\"x\", " + TAG, TAG));
        assertTrue(Conditional.noneMatchFails(" * ", TAG));
        assertFalse(Conditional.noneMatchFails("\"x\", \"y\"", TAG));
        assertFalse(Conditional.noneMatchFails(null, TAG));
        assertEquals(List.of("\"a,b\"", "W/\"c\""), Conditional.entityTags("\"a,b\", W/\"c\""));
        assertFalse(Conditional.noneMatchFails("\"a,b\"", "\"a\""), "a comma inside quotes does not split");
    }

    @Test
    void ifModifiedSinceOnlyWithoutIfNoneMatch() {
        assertTrue(Conditional.notModified(null, date(MODIFIED), TAG, MODIFIED), "same second: not modified");
        assertTrue(Conditional.notModified(null, date(MODIFIED.plusSeconds(60)), TAG, MODIFIED));
        assertFalse(Conditional.notModified(null, date(MODIFIED.minusSeconds(60)), TAG, MODIFIED));
        assertFalse(Conditional.notModified("\"other\"", date(MODIFIED.plusSeconds(60)), TAG, MODIFIED),
                "If-None-Match wins over If-Modified-Since (§13.1.3)");
        assertFalse(Conditional.notModified(null, "not a date", TAG, MODIFIED));
        assertFalse(Conditional.notModified(null, null, TAG, MODIFIED));
    }

    @Test
    void ifRangeStrongTagOrExactDate() {
        assertTrue(Conditional.rangeAllowed(null, TAG, MODIFIED));
        assertTrue(Conditional.rangeAllowed(TAG, TAG, MODIFIED));
        assertFalse(Conditional.rangeAllowed("W/" + TAG, TAG, MODIFIED), "a weak tag never matches");
        assertFalse(Conditional.rangeAllowed("\"old\"", TAG, MODIFIED));
        assertTrue(Conditional.rangeAllowed(date(MODIFIED), TAG, MODIFIED));
        assertFalse(Conditional.rangeAllowed(date(MODIFIED.minusSeconds(1)), TAG, MODIFIED));
        assertFalse(Conditional.rangeAllowed("garbage", TAG, MODIFIED));
    }
}
