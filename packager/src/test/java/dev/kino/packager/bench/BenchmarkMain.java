package dev.kino.packager.bench;

import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.packaging.Protection;
import dev.kino.common.packaging.VerificationDepth;
import dev.kino.packager.Packager;
import dev.kino.packager.job.PackagingListener;
import dev.kino.packager.job.PackagingProgress;
import dev.kino.packager.job.PackagingRequest;
import dev.kino.packager.job.PackagingResult;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.ladder.RungSpec;
import dev.kino.packager.output.SegmentVerifier;
import dev.kino.packager.transcode.TranscodeOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one packaging job from the command line, for {@code packager/bench/run.sh} (not a test).
 *
 * <pre>
 * java -cp … dev.kino.packager.bench.BenchmarkMain OUT_ROOT TITLE_ID PRESET HEIGHT:BITRATE[,…] SOURCE [SIDECAR…]
 * </pre>
 *
 * Prints the job log, one line per phase with its wall time, then {@code total=…}. Segments 6 s, GOP 2 s,
 * 2 B-frames, no source rung. System properties: {@code bench.protection} ({@code NONE} by default, or
 * {@code AES_128}, {@code CENC}, {@code BOTH}), {@code bench.remux} ({@code true} by default: rungs that qualify
 * are remuxed from the source), {@code bench.verify} ({@code keyframes} by default, or {@code every-frame}).
 */
public final class BenchmarkMain {
    private BenchmarkMain() {
    }

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: OUT_ROOT TITLE_ID PRESET HEIGHT:BITRATE[,...] SOURCE [SIDECAR...]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        List<RungSpec> rungs = new ArrayList<>();
        for (String r : args[3].split(",")) {
            String[] hb = r.split(":");
            rungs.add(new RungSpec(Integer.parseInt(hb[0]), Long.parseLong(hb[1])));
        }
        List<Path> inputs = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            inputs.add(Path.of(args[i]));
        }
        LadderSpec spec = new LadderSpec(rungs, 6, 2, false, 2);
        Protection protection = Protection.valueOf(System.getProperty("bench.protection", "NONE"));
        boolean remux = Boolean.parseBoolean(System.getProperty("bench.remux", "true"));
        Packager p = new Packager(new ContentKeyWrapper(new byte[16]),
                TranscodeOptions.defaults().withPreset(args[2]).withRemux(remux),
                VerificationDepth.parse(System.getProperty("bench.verify", "keyframes")));
        Map<PackagingProgress.Phase, Long> firstSeen = new EnumMap<>(PackagingProgress.Phase.class);
        long t0 = System.nanoTime();
        PackagingListener l = new PackagingListener() {
            @Override
            public void progress(PackagingProgress pr) {
                firstSeen.putIfAbsent(pr.phase(), System.nanoTime());
            }

            @Override
            public void log(String message) {
                System.out.println("log: " + message);
            }
        };
        PackagingResult r = p.run(new PackagingRequest(inputs, args[1], out, spec, protection), l);
        long end = System.nanoTime();
        List<PackagingProgress.Phase> order = new ArrayList<>(firstSeen.keySet());
        for (int i = 0; i < order.size(); i++) {
            long from = firstSeen.get(order.get(i));
            long to = i + 1 < order.size() ? firstSeen.get(order.get(i + 1)) : end;
            System.out.printf(Locale.ROOT, "phase %s %.2f s%n", order.get(i), (to - from) / 1e9);
        }
        System.out.printf(Locale.ROOT, "total=%.2f s media=%.2f s (%.1fx real time) encoder=%s protection=%s"
                        + " remuxed=%s folder=%s%n", (end - t0) / 1e9, r.durationSeconds(),
                r.durationSeconds() / ((end - t0) / 1e9), r.videoEncoder(), protection, r.remuxedRenditions(),
                r.folder());
    }
}
