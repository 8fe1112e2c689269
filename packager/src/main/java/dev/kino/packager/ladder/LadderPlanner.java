package dev.kino.packager.ladder;

import dev.kino.packager.PackagingException;
import dev.kino.protocol.media.FrameRate;
import dev.kino.packager.source.VideoStreamInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans a source's ladder from a {@link LadderSpec}.
 *
 * <ul>
 *   <li>Rung sizes apply to the picture's short side, so a portrait 1080x1920 source gets 1080x1920, 720x1280, …
 *       The long side keeps the displayed aspect ratio, rounded to an even number.</li>
 *   <li>Never upscale: rungs above the source's short side are dropped.</li>
 *   <li>Source rung: when the source's short side lies strictly between two rungs and is at least 15% above the
 *       lower one, a rung at the source's own (even) size is added, its bitrate interpolated linearly between
 *       the two neighbours. A source a little above a rung (e.g. 738p) just gets that rung: the extra rendition
 *       would cost a full encode for a quality step players cannot use. A source above the top rung gets the
 *       top rung as its best rendition (the spec's ceiling is a product decision).</li>
 *   <li>A source smaller than the lowest rung gets one rung at its own size, the bitrate scaled by area.</li>
 *   <li>Frame rate: the source's; above 30 fps, rungs of 480p and below run at half rate.</li>
 * </ul>
 */
public final class LadderPlanner {
    private static final double SOURCE_RUNG_MARGIN = 1.15;

    private LadderPlanner() {
    }

    /**
     * @param source the video stream the title is made from
     * @param spec what the title may have
     * @return the ladder, highest rung first
     * @throws PackagingException when the source is too small to encode (short side under 32 pixels)
     */
    public static Ladder plan(VideoStreamInfo source, LadderSpec spec) {
        int dw = source.displayWidth();
        int dh = source.displayHeight();
        int shortSide = Math.min(dw, dh) & ~1;
        if (shortSide < 32) {
            throw new PackagingException("video stream " + source.index() + " is " + dw + "x" + dh
                    + ", too small to package");
        }
        double aspect = (double) Math.max(dw, dh) / Math.min(dw, dh);
        boolean portrait = dh > dw;
        FrameRate rate = source.frameRate();

        List<RungSpec> specs = spec.rungs(); // highest first
        List<RungSpec> chosen = new ArrayList<>();
        RungSpec above = null;
        for (RungSpec r : specs) {
            if (r.height() <= shortSide) {
                chosen.add(r);
            } else {
                above = r;
            }
        }
        if (chosen.isEmpty()) {
            RungSpec lowest = specs.get(specs.size() - 1);
            double area = (double) shortSide * shortSide / ((double) lowest.height() * lowest.height());
            long br = Math.max(100_000, Math.round(lowest.bitrate() * area / 1000.0) * 1000);
            chosen.add(new RungSpec(shortSide, br, Math.max(br, Math.round(lowest.maxBitrate() * area))));
        } else if (spec.includeSourceRung() && above != null) {
            RungSpec below = chosen.get(0);
            if (shortSide > below.height() && shortSide >= below.height() * SOURCE_RUNG_MARGIN) {
                double t = (double) (shortSide - below.height()) / (above.height() - below.height());
                long br = Math.round((below.bitrate() + t * (above.bitrate() - below.bitrate())) / 1000.0) * 1000;
                long max = Math.round((below.maxBitrate() + t * (above.maxBitrate() - below.maxBitrate())) / 1000.0) * 1000;
                chosen.add(0, new RungSpec(shortSide, br, Math.max(br, max)));
            }
        }

        List<Rung> rungs = new ArrayList<>();
        for (RungSpec r : chosen) {
            int s = r.height();
            int l = Math.max(2, (int) Math.round(s * aspect / 2.0) * 2);
            int w = portrait ? s : l;
            int h = portrait ? l : s;
            boolean half = rate.fps() > 30.5 && s <= 480;
            rungs.add(new Rung(w, h, r.bitrate(), r.maxBitrate(), 2 * r.bitrate(), half ? rate.half() : rate, half));
        }
        return new Ladder(rungs, spec.segmentSeconds(), spec.gopSeconds(), spec.bFrames());
    }
}
