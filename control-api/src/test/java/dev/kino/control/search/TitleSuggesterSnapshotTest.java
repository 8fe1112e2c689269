package dev.kino.control.search;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TitleSuggester.Snapshot}'s whole-name key lookup, which compares the packed first characters of each key
 * before the keys themselves: the range it finds for a prefix is exactly the keys that start with it, for keys
 * shorter and longer than the packed head, sharing long prefixes, in Latin, Cyrillic and kana (characters above
 * 0x7fff, whose packed order must stay unsigned), and for the empty prefix.
 */
class TitleSuggesterSnapshotTest {
    private static final String[] PIECES = {"a", "ab", "abc", "abcd", "abcde", "b", "ka", "ri", "та", "ра", "ア", "イ",
            "ン", "z", "zz", "\uffef", "\u8000"};

    @Test
    void fullRangeIsExactlyTheKeysStartingWithThePrefix() {
        Random rnd = new Random(11);
        List<TitleSuggester.Entry> entries = new ArrayList<>();
        List<String> allKeys = new ArrayList<>();
        for (int t = 0; t < 400; t++) {
            List<String> keys = new ArrayList<>();
            for (int k = 0, n = 1 + rnd.nextInt(3); k < n; k++) {
                StringBuilder key = new StringBuilder();
                for (int p = 0, m = 1 + rnd.nextInt(4); p < m; p++) {
                    if (p > 0 && rnd.nextInt(3) == 0) {
                        key.append(' ');
                    }
                    key.append(PIECES[rnd.nextInt(PIECES.length)]);
                }
                keys.add(key.toString());
            }
            allKeys.addAll(keys);
            entries.add(new TitleSuggester.Entry(new UUID(0, t), 1 + rnd.nextDouble() * 0.2, true, 0,
                    String.join("\n", keys), new int[0], t, false));
        }
        TitleSuggester.Snapshot s = TitleSuggester.Snapshot.build(entries, entries.size());
        List<String> prefixes = new ArrayList<>(List.of("", "a", "ab", "abc", "abcd", "abcda", "abcdeab", "т", "та ",
                "ア", "\uffef", "\u8000", "zzz", "zzzz", "zzzzz", "q"));
        for (int i = 0; i < 300; i++) {
            String key = allKeys.get(rnd.nextInt(allKeys.size()));
            prefixes.add(key.substring(0, rnd.nextInt(key.length() + 1)));
        }
        for (String p : prefixes) {
            int[] range = s.fullRange(p);
            long expected = allKeys.stream().filter(k -> k.startsWith(p)).count();
            assertEquals(expected, range[1] - range[0], "keys starting with '" + p + "'");
            for (int i = range[0]; i < range[1]; i++) {
                long ref = s.fullRefs[i];
                assertTrue(s.keys[(int) (ref >>> 16)].startsWith(p, (int) (ref & 0xffff)), p);
            }
        }
    }

    @Test
    void headsOrderAsTheKeysDo() {
        List<String> sorted = new ArrayList<>(List.of("", "a", "a b", "ab", "abcd", "abcde", "abd", "b", "та",
                "ア", "\u8000", "\uffef"));
        for (int i = 1; i < sorted.size(); i++) {
            String a = sorted.get(i - 1);
            String b = sorted.get(i);
            assertTrue(a.compareTo(b) < 0, a + " < " + b);
            assertTrue(Long.compareUnsigned(TitleSuggester.Snapshot.head(a, 0), TitleSuggester.Snapshot.head(b, 0)) <= 0,
                    a + " ≤ " + b + " by head");
        }
        // a key ends at a line feed: the head of the second key of "ab\ncd" is the head of "cd"
        assertEquals(TitleSuggester.Snapshot.head("cd", 0), TitleSuggester.Snapshot.head("ab\ncd", 3));
        assertEquals(TitleSuggester.Snapshot.head("ab", 0), TitleSuggester.Snapshot.head("ab\ncd", 0));
    }
}
