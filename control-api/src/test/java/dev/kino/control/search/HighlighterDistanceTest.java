package dev.kino.control.search;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The highlighter's bounded edit distance (with its letter-count shortcut) against the plain table. */
class HighlighterDistanceTest {
    /** Optimal string alignment distance, the whole table (what {@link Highlighter#distance} computed before). */
    private static int reference(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    @Test
    void sameVerdictAsTheWholeTable() {
        Random rnd = new Random(3);
        String alphabet = "abcz09ая";
        for (int i = 0; i < 200_000; i++) {
            String a = random(rnd, alphabet);
            String b = rnd.nextInt(3) == 0 ? mutate(rnd, a, alphabet) : random(rnd, alphabet);
            for (int max = 1; max <= 2; max++) {
                int expected = Math.min(reference(a, b), max + 1);
                assertEquals(expected, Math.min(Highlighter.distance(a, b, max), max + 1), a + " / " + b + " max " + max);
            }
        }
    }

    private static String random(Random rnd, String alphabet) {
        StringBuilder b = new StringBuilder();
        for (int k = 0, n = rnd.nextInt(9); k < n; k++) {
            b.append(alphabet.charAt(rnd.nextInt(rnd.nextBoolean() ? 4 : alphabet.length())));
        }
        return b.toString();
    }

    private static String mutate(Random rnd, String s, String alphabet) {
        StringBuilder b = new StringBuilder(s);
        for (int e = 0, n = 1 + rnd.nextInt(3); e < n; e++) {
            int at = b.length() == 0 ? 0 : rnd.nextInt(b.length());
            switch (rnd.nextInt(4)) {
                case 0 -> b.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                case 1 -> { if (b.length() > 0) b.deleteCharAt(at); }
                case 2 -> { if (b.length() > 0) b.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length()))); }
                default -> {
                    if (at + 1 < b.length()) {
                        char c = b.charAt(at);
                        b.setCharAt(at, b.charAt(at + 1));
                        b.setCharAt(at + 1, c);
                    }
                }
            }
        }
        return b.toString();
    }
}
