package dev.kino.packager.transcode;

import dev.kino.packager.media.EncodedSample;
import dev.kino.packager.media.TrackFormat;

import java.util.ArrayList;
import java.util.List;

/** Keeps a track in memory. */
final class CollectingSink implements TrackSink {
    TrackFormat format;
    final List<EncodedSample> samples = new ArrayList<>();
    boolean ended;

    @Override
    public void format(TrackFormat f) {
        format = f;
    }

    @Override
    public void sample(EncodedSample s) {
        samples.add(s);
    }

    @Override
    public void end() {
        ended = true;
    }

    List<Long> syncPts() {
        return samples.stream().filter(EncodedSample::sync).map(EncodedSample::pts).sorted().toList();
    }

    long totalDuration() {
        return samples.stream().mapToLong(EncodedSample::duration).sum();
    }
}
