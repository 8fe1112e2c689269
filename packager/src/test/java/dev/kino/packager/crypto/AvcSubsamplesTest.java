package dev.kino.packager.crypto;

import dev.kino.packager.cmaf.TestMedia;
import dev.kino.packager.media.EncodedSample;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvcSubsamplesTest {

    @Test
    void realStreamLayoutKeepsHeadersClearAndBlocksWhole() {
        TestMedia.Track v = TestMedia.get().video;
        byte[] avcC = v.format().decoderConfig();
        AvcSliceHeaders headers = AvcSliceHeaders.fromDecoderConfig(avcC);
        AvcSubsamples layout = AvcSubsamples.forDecoderConfig(avcC);
        int slices = 0;
        for (EncodedSample s : v.samples()) {
            byte[] d = s.data();
            List<Subsample> subs = layout.layout(d, 0, d.length);
            long total = 0;
            long prot = 0;
            for (Subsample x : subs) {
                total += x.clearBytes() + x.protectedBytes();
                prot += x.protectedBytes();
                assertEquals(0, x.protectedBytes() % 16, "whole AES blocks");
            }
            assertEquals(d.length, total);
            // walk the NAL units: every slice header parses, and the protected part starts after it
            int p = 0;
            while (p < d.length) {
                int n = ((d[p] & 0xFF) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
                int type = d[p + 4] & 0x1F;
                if (type >= 1 && type <= 5) {
                    int h = headers.sliceHeaderSize(d, p + 4, n);
                    assertTrue(h > 0 && h < 64, "slice header size " + h + " (type " + type + ")");
                    slices++;
                } else {
                    assertEquals(-1, headers.sliceHeaderSize(d, p + 4, n));
                }
                p += 4 + n;
            }
            if (s.sync()) {
                assertTrue(prot > d.length / 2, "an IDR is mostly protected");
            }
        }
        assertTrue(slices >= v.samples().size());
    }

    @Test
    void nonVclNalUnitsStayClearAndClearRunsMerge() {
        // SEI (type 6) of 40 bytes, then an unparseable slice (type 1, unknown PPS) of 100 bytes
        byte[] d = new byte[4 + 40 + 4 + 100];
        d[3] = 40;
        d[4] = 6;
        d[4 + 40 + 3] = 100;
        d[4 + 40 + 4] = 0x41;
        d[4 + 40 + 5] = (byte) 0xFF; // first_mb 0, slice type 0, pps_id 0 ... but no PPS known
        List<Subsample> subs = new AvcSubsamples(4, null).layout(d, 0, d.length);
        // fallback: 32 leading clear bytes of the slice, 68 left -> 64 protected, 4 moved to clear
        assertEquals(List.of(new Subsample(4 + 40 + 4 + 36, 64)), subs);
        byte[] sei = new byte[4 + 10];
        sei[3] = 10;
        sei[4] = 6;
        assertEquals(List.of(new Subsample(14, 0)), new AvcSubsamples(4, null).layout(sei, 0, sei.length));
    }

    @Test
    void truncatedNalIsRejected() {
        byte[] d = {0, 0, 0, 9, 0x65, 1, 2};
        assertThrows(IllegalArgumentException.class, () -> new AvcSubsamples(4, null).layout(d, 0, d.length));
    }
}
