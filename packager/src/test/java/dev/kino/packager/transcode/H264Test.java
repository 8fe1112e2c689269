package dev.kino.packager.transcode;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class H264Test {
    private static final byte[] SPS = {0x67, 0x64, 0x00, 0x1f, (byte) 0xac, 0x2c};
    private static final byte[] PPS = {0x68, (byte) 0xeb, (byte) 0xe3};

    @Test
    void avcCFromAnnexB() {
        byte[] extradata = {0, 0, 0, 1, 0x67, 0x64, 0x00, 0x1f, (byte) 0xac, 0x2c, 0, 0, 1, 0x68, (byte) 0xeb, (byte) 0xe3};
        byte[] avcC = H264.avcC(extradata);
        assertArrayEquals(new byte[]{1, 0x64, 0x00, 0x1f, (byte) 0xff, (byte) 0xe1, 0, 6, 0x67, 0x64, 0x00, 0x1f,
                (byte) 0xac, 0x2c, 1, 0, 3, 0x68, (byte) 0xeb, (byte) 0xe3, (byte) 0xfd, (byte) 0xf8, (byte) 0xf8, 0}, avcC);
        assertEquals("avc1.64001f", H264.codecs(avcC));
        assertArrayEquals(avcC, H264.avcC(avcC));
    }

    @Test
    void annexBToAvccDropsParameterSetsAndDelimiters() {
        byte[] annexB = {0, 0, 0, 1, 0x09, (byte) 0xf0, 0, 0, 0, 1, 0x67, 0x64, 0x00, 0x1f, 0, 0, 1, 0x68, (byte) 0xeb,
                0, 0, 1, 0x06, 0x05, 0x01, 0, 0, 1, 0x65, (byte) 0x88, (byte) 0x84, 0x00, 0x21};
        byte[] avcc = H264.toAvccSample(annexB);
        List<byte[]> nals = H264.splitAvcc(avcc);
        assertEquals(2, nals.size());
        assertEquals(6, H264.nalType(nals.get(0)));
        assertEquals(5, H264.nalType(nals.get(1)));
        assertArrayEquals(new byte[]{0x65, (byte) 0x88, (byte) 0x84, 0x00, 0x21}, nals.get(1));
        // already AVCC: kept, parameter sets still dropped
        assertArrayEquals(avcc, H264.toAvccSample(avcc));
    }

    @Test
    void rejectsExtradataWithoutParameterSets() {
        assertThrows(IllegalArgumentException.class, () -> H264.avcC(new byte[]{0, 0, 1, 0x65, 1}));
        assertThrows(IllegalArgumentException.class, () -> H264.splitAvcc(new byte[]{0, 0, 0, 9, 1}));
    }

    @Test
    void onePassAnnexBConversionMatchesSplittingThenJoining() {
        java.util.Random rnd = new java.util.Random(7);
        for (int round = 0; round < 2000; round++) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            int nals = 1 + rnd.nextInt(5);
            for (int k = 0; k < nals; k++) {
                b.writeBytes(rnd.nextBoolean() ? new byte[]{0, 0, 0, 1} : new byte[]{0, 0, 1});
                int len = 1 + rnd.nextInt(40);
                for (int j = 0; j < len; j++) {
                    int v = rnd.nextInt(6);
                    // plenty of zero bytes (trailing zeros, 0x000002 patterns) and NAL types 1, 5, 6, 7, 8, 9
                    b.write(j == 0 ? new int[]{0x41, 0x65, 0x06, 0x67, 0x68, 0x09}[v] : v < 3 ? 0 : rnd.nextInt(256));
                }
            }
            byte[] in = b.toByteArray();
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            for (byte[] nal : H264.splitAnnexB(in)) {
                int t = H264.nalType(nal);
                if (t == H264.NAL_SPS || t == H264.NAL_PPS || t == H264.NAL_AUD) {
                    continue;
                }
                expected.writeBytes(new byte[]{(byte) (nal.length >>> 24), (byte) (nal.length >>> 16),
                        (byte) (nal.length >>> 8), (byte) nal.length});
                expected.writeBytes(nal);
            }
            assertArrayEquals(expected.toByteArray(), H264.toAvccSample(in), "round " + round);
        }
    }
}
