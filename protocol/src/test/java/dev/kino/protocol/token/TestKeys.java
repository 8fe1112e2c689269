package dev.kino.protocol.token;

import java.util.Arrays;

/** Deterministic test secrets. */
final class TestKeys {
    private TestKeys() {
    }

    static byte[] secret(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    static byte[] filled(int len, int value) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
