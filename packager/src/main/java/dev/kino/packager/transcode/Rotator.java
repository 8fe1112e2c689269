package dev.kino.packager.transcode;

import dev.kino.packager.PackagingException;
import dev.kino.packager.source.Ffmpeg;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avfilter.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

/**
 * Applies a display-matrix rotation to decoded frames with a libavfilter graph
 * ({@code transpose=clock}, {@code transpose=cclock} or {@code hflip,vflip}), so every rung is encoded upright.
 * Built on the first frame (its size and pixel format).
 */
final class Rotator implements AutoCloseable {
    private final int rotation;
    private final String what;
    private AVFilterGraph graph;
    private AVFilterContext src;
    private AVFilterContext sink;
    private final AVFrame out = av_frame_alloc();

    Rotator(int rotation, String what) {
        this.rotation = rotation;
        this.what = what;
    }

    private void build(AVFrame f) {
        graph = avfilter_graph_alloc();
        src = new AVFilterContext();
        String args = "video_size=" + f.width() + "x" + f.height() + ":pix_fmt=" + f.format()
                + ":time_base=1/90000:pixel_aspect=1/1";
        Ffmpeg.check(avfilter_graph_create_filter(src, avfilter_get_by_name("buffer"), "in", args, null, graph),
                what + ": rotation filter source");
        sink = new AVFilterContext();
        Ffmpeg.check(avfilter_graph_create_filter(sink, avfilter_get_by_name("buffersink"), "out", null, null, graph),
                what + ": rotation filter sink");
        List<String[]> chain = new ArrayList<>();
        switch (rotation) {
            case 90 -> chain.add(new String[]{"transpose", "dir=clock"});
            case 270 -> chain.add(new String[]{"transpose", "dir=cclock"});
            case 180 -> {
                chain.add(new String[]{"hflip", null});
                chain.add(new String[]{"vflip", null});
            }
            default -> throw new PackagingException(what + ": unsupported rotation " + rotation);
        }
        AVFilterContext prev = src;
        int i = 0;
        for (String[] step : chain) {
            AVFilterContext c = new AVFilterContext();
            Ffmpeg.check(avfilter_graph_create_filter(c, avfilter_get_by_name(step[0]), "r" + i++, step[1], null, graph),
                    what + ": rotation filter " + step[0]);
            Ffmpeg.check(avfilter_link(prev, 0, c, 0), what + ": rotation filter link");
            prev = c;
        }
        Ffmpeg.check(avfilter_link(prev, 0, sink, 0), what + ": rotation filter link");
        Ffmpeg.check(avfilter_graph_config(graph, null), what + ": rotation filter graph");
    }

    /**
     * @param in a decoded frame (not consumed; the graph takes its own reference)
     * @param each receives every rotated frame; it must not keep the frame beyond the call (clone it)
     */
    void push(AVFrame in, Consumer<AVFrame> each) {
        if (graph == null) {
            build(in);
        }
        Ffmpeg.check(av_buffersrc_add_frame_flags(src, in, AV_BUFFERSRC_FLAG_KEEP_REF), what + ": rotation filter");
        while (av_buffersink_get_frame(sink, out) >= 0) {
            try {
                each.accept(out);
            } finally {
                av_frame_unref(out);
            }
        }
    }

    @Override
    public void close() {
        av_frame_free(out);
        if (graph != null) {
            avfilter_graph_free(graph);
        }
    }
}
