package dev.kino.packager.cmaf;

import dev.kino.packager.media.EncodedSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CmafTrackWriterTest {
    @TempDir
    Path dir;

    @Test
    void clearVideoDemuxesAndDecodesEveryFrame() {
        TestMedia.Track v = TestMedia.get().video;
        CmafTrackWriter w = new CmafTrackWriter(v.format(), Optional.empty());
        List<List<EncodedSample>> segs = v.segments(0);
        assertEquals(2, segs.size(), "1 s GOPs in a 2 s clip");
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < segs.size(); i++) {
            out.add(w.mediaSegment(i + 1, segs.get(i)));
        }
        byte[] file = TestFfmpeg.concat(w.initSegment(), out);
        assertEquals(v.samples().size(), TestFfmpeg.countPackets(file, dir, null));
        TestFfmpeg.Decoded d = TestFfmpeg.decode(file, dir, null);
        assertEquals(50, v.samples().size());
        assertEquals(v.samples().size(), d.videoFrameHashes().size());
    }

    @Test
    void clearAudioDemuxesAndDecodes() {
        TestMedia.Track a = TestMedia.get().audio;
        CmafTrackWriter w = new CmafTrackWriter(a.format(), Optional.empty(), true);
        List<byte[]> out = new ArrayList<>();
        int seq = 1;
        for (List<EncodedSample> s : a.segments(47)) {
            out.add(w.mediaSegment(seq++, s));
        }
        byte[] file = TestFfmpeg.concat(w.initSegment(), out);
        assertEquals(a.samples().size(), TestFfmpeg.countPackets(file, dir, null));
        TestFfmpeg.Decoded d = TestFfmpeg.decode(file, dir, null);
        assertTrue(d.audioSamples() >= 1024L * (a.samples().size() - 2), "decoded " + d.audioSamples());
    }

    @Test
    void initSegmentLayout() {
        TestMedia.Track v = TestMedia.get().video;
        byte[] init = new CmafTrackWriter(v.format(), Optional.empty()).initSegment();
        TestBoxes.Box root = TestBoxes.parse(init);
        assertEquals(List.of("ftyp", "moov"), root.children().stream().map(TestBoxes.Box::type).toList());
        for (String p : List.of("moov/mvhd", "moov/trak/tkhd", "moov/trak/mdia/mdhd", "moov/trak/mdia/hdlr",
                "moov/trak/mdia/minf/vmhd", "moov/trak/mdia/minf/dinf/dref/url ",
                "moov/trak/mdia/minf/stbl/stsd/avc1/avcC", "moov/trak/mdia/minf/stbl/stsd/avc1/btrt",
                "moov/trak/mdia/minf/stbl/stts", "moov/trak/mdia/minf/stbl/stsc", "moov/trak/mdia/minf/stbl/stsz",
                "moov/trak/mdia/minf/stbl/stco", "moov/mvex/trex")) {
            assertNotNull(root.find(p), p + " missing in\n" + TestBoxes.dump(root));
        }
        ByteBuffer b = ByteBuffer.wrap(init);
        TestBoxes.Box avcC = root.find("moov/trak/mdia/minf/stbl/stsd/avc1/avcC");
        assertEquals(v.format().decoderConfig().length, avcC.size() - 8);
        TestBoxes.Box hdlr = root.find("moov/trak/mdia/hdlr");
        assertEquals("vide", new String(init, hdlr.payload() + 8, 4));
        TestBoxes.Box avc1 = root.find("moov/trak/mdia/minf/stbl/stsd/avc1");
        assertEquals(320, b.getShort(avc1.payload() + 24));
        assertEquals(180, b.getShort(avc1.payload() + 26));
        TestBoxes.Box mdhd = root.find("moov/trak/mdia/mdhd");
        assertEquals(v.format().timescale(), b.getInt(mdhd.payload() + 12));
        // 'und' packed as ISO 639-2/T: u=21 n=14 d=4
        assertEquals((21 << 10) | (14 << 5) | 4, b.getShort(mdhd.payload() + 20));

        TestMedia.Track a = TestMedia.get().audio;
        byte[] ainit = new CmafTrackWriter(a.format(), Optional.empty()).initSegment();
        TestBoxes.Box aroot = TestBoxes.parse(ainit);
        assertNotNull(aroot.find("moov/trak/mdia/minf/stbl/stsd/mp4a/esds"), TestBoxes.dump(aroot));
        assertNotNull(aroot.find("moov/trak/mdia/minf/smhd"));
    }

    @Test
    void mediaSegmentLayoutAndReport() {
        TestMedia.Track v = TestMedia.get().video;
        CmafTrackWriter w = new CmafTrackWriter(v.format(), Optional.empty(), true);
        List<EncodedSample> samples = v.segments(0).get(1);
        CmafSegment seg = w.segment(7, samples);
        byte[] bytes = seg.bytes();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        TestBoxes.Box root = TestBoxes.parse(bytes);
        assertEquals(List.of("styp", "sidx", "moof", "mdat"),
                root.children().stream().map(TestBoxes.Box::type).toList());
        TestBoxes.Box moof = root.find("moof");
        TestBoxes.Box mdat = root.find("mdat");
        assertEquals(moof.offset(), seg.moofOffset());
        assertEquals(7, b.getInt(root.find("moof/mfhd").payload() + 4));
        TestBoxes.Box tfdt = root.find("moof/traf/tfdt");
        assertEquals(1, bytes[tfdt.payload()]);
        assertEquals(samples.get(0).dts(), b.getLong(tfdt.payload() + 4));
        assertEquals(samples.get(0).dts(), seg.baseMediaDecodeTime());
        TestBoxes.Box tfhd = root.find("moof/traf/tfhd");
        assertEquals(0x020000, b.getInt(tfhd.payload()) & 0xFFFFFF);
        TestBoxes.Box trun = root.find("moof/traf/trun");
        assertEquals(1, bytes[trun.payload()], "trun version 1 (signed composition offsets)");
        assertEquals(samples.size(), b.getInt(trun.payload() + 4));
        int dataOffset = b.getInt(trun.payload() + 8);
        assertEquals(mdat.offset() + 8, moof.offset() + dataOffset);
        // first sample: sync flags; second: non-sync
        assertEquals(0x02000000, b.getInt(trun.payload() + 12 + 8));
        assertEquals(0x01010000, b.getInt(trun.payload() + 12 + 16 + 8));
        long duration = samples.stream().mapToLong(EncodedSample::duration).sum();
        assertEquals(duration, seg.duration());
        assertEquals(bytes.length, seg.size());
        assertEquals(samples.size(), seg.sampleCount());
        // sidx references exactly moof + mdat
        TestBoxes.Box sidx = root.find("sidx");
        assertEquals(moof.size() + mdat.size(), b.getInt(sidx.payload() + 32) & 0x7FFFFFFF);
        assertEquals(duration, b.getInt(sidx.payload() + 36));
        assertEquals(0x90000000, b.getInt(sidx.payload() + 40), "starts_with_SAP, SAP type 1");
        // I-frame byte range: moof start through the end of the IDR
        CmafSegment.ByteRange r = seg.iFrameRange().orElseThrow();
        assertEquals(moof.offset(), r.offset());
        assertEquals(moof.size() + 8 + samples.get(0).data().length, r.length());
        assertEquals(samples.get(0).pts(), seg.syncSamples().get(0).presentationTime());
        assertEquals(1, seg.syncSamples().size());
    }
}
