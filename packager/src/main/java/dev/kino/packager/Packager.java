package dev.kino.packager;

import dev.kino.common.config.KinoConfig;
import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.packaging.Protection;
import dev.kino.common.packaging.VerificationDepth;
import dev.kino.packager.cmaf.Encryption;
import dev.kino.packager.crypto.ContentKeys;
import dev.kino.packager.job.CancellationSignal;
import dev.kino.packager.job.PackagedTrack;
import dev.kino.packager.job.PackagingHandle;
import dev.kino.packager.job.PackagingListener;
import dev.kino.packager.job.PackagingProgress;
import dev.kino.packager.job.PackagingProgress.Phase;
import dev.kino.packager.job.PackagingRequest;
import dev.kino.packager.job.PackagingResult;
import dev.kino.packager.job.PackagingRunner;
import dev.kino.packager.ladder.Ladder;
import dev.kino.packager.ladder.LadderPlanner;
import dev.kino.packager.ladder.Rung;
import dev.kino.packager.media.TrackFormat;
import dev.kino.packager.media.TrackKind;
import dev.kino.packager.output.OutputVerifier;
import dev.kino.packager.output.SegmentCopy;
import dev.kino.packager.output.SegmentVerifier;
import dev.kino.packager.output.SegmentedTrack;
import dev.kino.packager.output.SubtitleTrack;
import dev.kino.packager.output.TitleTracks;
import dev.kino.packager.output.TitleWriter;
import dev.kino.packager.source.AudioStreamInfo;
import dev.kino.packager.source.MediaInfo;
import dev.kino.packager.source.InputLimits;
import dev.kino.packager.source.SourceGate;
import dev.kino.packager.source.SubtitleStreamInfo;
import dev.kino.packager.subtitle.SubtitleCue;
import dev.kino.packager.subtitle.SubtitleFiles;
import dev.kino.packager.thumbs.Thumbnailer;
import dev.kino.packager.transcode.TranscodeOptions;
import dev.kino.packager.transcode.TranscodeResult;
import dev.kino.packager.transcode.Transcoder;
import dev.kino.protocol.lang.LanguageTags;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The packager's library API: turns a source file into a published title folder.
 *
 * <p>{@link #run(PackagingRequest, PackagingListener, CancellationSignal)} runs one job on the calling thread: the
 * control API's job workers call it directly (their number, {@code packager.workers}, is how many run at a time),
 * reporting progress through the {@link PackagingListener} and stopping it through the {@link CancellationSignal};
 * {@link #start} runs one on a new thread for callers that want a {@link PackagingHandle}. A job admits the source
 * ({@link SourceGate}: a file that is not a video container, has no video, or claims a picture size, frame rate,
 * duration or codec level beyond the {@link InputLimits} is refused with a {@link SourceRefusedException} before
 * anything is decoded), plans the ladder, transcodes (see {@link Transcoder}), writes CMAF segments, playlists, the
 * MPD, {@code manifest.json} and
 * {@code keys.wrapped.json} plus thumbnails, poster and WebVTT subtitles (the source's text subtitle streams and
 * the side-car {@code .srt}/{@code .vtt}/{@code .ass}/{@code .ssa} inputs) into
 * {@code <outRoot>/.tmp-<titleId>-<random>/}, verifies them
 * ({@link OutputVerifier}), and publishes by renaming that folder to {@code <outRoot>/<titleId>/} with
 * {@link StandardCopyOption#ATOMIC_MOVE}. A failed or cancelled job deletes its temporary folder; nothing is ever
 * half-published. An existing {@code <outRoot>/<titleId>/} is never replaced: the job fails instead.
 */
public final class Packager implements PackagingRunner {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContentKeyWrapper kek;
    private final TranscodeOptions options;
    private final VerificationDepth verification;
    private final InputLimits limits;

    /**
     * A packager that decodes every IDR picture of each encoded video segment before publishing
     * ({@link VerificationDepth#KEYFRAMES}) and takes sources within {@link InputLimits#DEFAULTS}.
     *
     * @param kek the key-encryption key that wraps content keys into {@code keys.wrapped.json}
     * @param options encoder settings
     */
    public Packager(ContentKeyWrapper kek, TranscodeOptions options) {
        this(kek, options, VerificationDepth.KEYFRAMES);
    }

    /**
     * @param kek the key-encryption key that wraps content keys into {@code keys.wrapped.json}
     * @param options encoder settings
     * @param verification how many pictures of each encoded video segment are decoded before publishing
     */
    public Packager(ContentKeyWrapper kek, TranscodeOptions options, VerificationDepth verification) {
        this(kek, options, verification, InputLimits.DEFAULTS);
    }

    /**
     * @param kek the key-encryption key that wraps content keys into {@code keys.wrapped.json}
     * @param options encoder settings
     * @param verification how many pictures of each encoded video segment are decoded before publishing
     * @param limits what a source may claim; anything beyond is refused before decoding ({@link SourceGate})
     */
    public Packager(ContentKeyWrapper kek, TranscodeOptions options, VerificationDepth verification,
                    InputLimits limits) {
        this.kek = kek;
        this.options = options;
        this.verification = verification;
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    /**
     * @param config the {@code packager} section ({@code threads} = encoder threads per job, 0 for the core count;
     *               {@code preset}, the x264 preset; {@code verify}, the verification depth; {@code limits},
     *               what a source may claim)
     * @param kek the key-encryption key
     * @return a packager with those settings
     */
    public static Packager fromConfig(KinoConfig.Packager config, ContentKeyWrapper kek) {
        TranscodeOptions d = TranscodeOptions.defaults();
        int threads = config.threads() > 0 ? config.threads() : d.threads();
        return new Packager(kek, new TranscodeOptions(config.preset().x264Name(), threads, d.audioBitrate(),
                d.audioSampleRate()), config.verify(), inputLimits(config.limits()));
    }

    /** @return the packager's view of the {@code packager.limits} section */
    static InputLimits inputLimits(KinoConfig.Limits l) {
        return new InputLimits(l.maxWidth(), l.maxHeight(), l.maxPixels(), l.maxFrameRate(), l.maxDuration());
    }

    /**
     * Runs a job on the calling thread until it is published, fails, or {@code cancel} stops it.
     *
     * @param request what to package, and where to publish it ({@link PackagingRequest#titleFolder()})
     * @param listener progress and log lines, called from the job's threads
     * @param cancel checked before every packet and between phases
     * @return the published title
     * @throws PackagingCancelledException when cancelled; nothing was published and the temporary folder is gone
     * @throws PackagingException when the job failed; nothing was published and the temporary folder is gone
     */
    @Override
    public PackagingResult run(PackagingRequest request, PackagingListener listener, CancellationSignal cancel) {
        return new Job(request, listener, cancel).call();
    }

    /**
     * Runs a job on the calling thread that nothing cancels.
     *
     * @see #run(PackagingRequest, PackagingListener, CancellationSignal)
     */
    public PackagingResult run(PackagingRequest request, PackagingListener listener) {
        return run(request, listener, new CancellationSignal());
    }

    /**
     * Starts a job on a new thread and returns at once.
     *
     * @param request what to package
     * @param listener progress, called from the job's threads
     * @return the running job; {@link PackagingHandle#cancel()} cancels its {@link CancellationSignal}
     */
    public PackagingHandle start(PackagingRequest request, PackagingListener listener) {
        CancellationSignal cancel = new CancellationSignal();
        Job job = new Job(request, listener, cancel);
        CompletableFuture<PackagingResult> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(job.call());
            } catch (PackagingException e) {
                result.completeExceptionally(e);
            }
        }, "kino-package-" + request.titleId());
        t.setDaemon(true);
        t.start();
        return new Handle(job, cancel, result);
    }

    /** One run of {@link #run}: its request, listener, signal and latest progress. */
    private final class Job {
        private final PackagingRequest req;
        private final PackagingListener listener;
        private final CancellationSignal cancel;
        private volatile PackagingProgress progress = new PackagingProgress(Phase.QUEUED, 0, 0);

        Job(PackagingRequest req, PackagingListener listener, CancellationSignal cancel) {
            this.req = req;
            this.listener = listener;
            this.cancel = cancel;
        }

        private void phase(Phase p, double fraction, double speed) {
            progress = new PackagingProgress(p, fraction, speed);
            try {
                listener.progress(progress);
            } catch (RuntimeException ignored) {
                // a listener's bug must not fail the job
            }
        }

        private void checkCancel() {
            if (cancel.isCancelled()) {
                throw new PackagingCancelledException(req.titleId() + ": packaging cancelled");
            }
        }

        PackagingResult call() {
            long t0 = System.nanoTime();
            Path tmp = null;
            SegmentVerifier verifier = null;
            try {
                List<Path> sidecars = req.inputs().subList(1, req.inputs().size());
                for (Path p : sidecars) {
                    if (!SubtitleFiles.isSubtitleFile(p)) {
                        throw new PackagingException(req.titleId() + ": " + p + ": extra inputs must be subtitle files ("
                                + String.join(", ", SubtitleFiles.EXTENSIONS.stream().sorted().toList()) + ")");
                    }
                }
                phase(Phase.PROBING, 0, 0);
                // refused before anything is decoded or written: nothing to clean up, nothing to retry
                MediaInfo info = SourceGate.admit(req.inputs().get(0), limits);
                var video = info.primaryVideo().orElseThrow(() -> new PackagingException(
                        info.file() + ": no decodable video stream to package"));
                Ladder ladder = LadderPlanner.plan(video, req.ladder());
                Path root = req.outRoot();
                Path target = req.titleFolder();
                if (Files.exists(target)) {
                    throw new PackagingException(req.titleId() + ": " + target + " already exists; remove it first");
                }
                Files.createDirectories(root);
                tmp = Files.createDirectory(root.resolve(".tmp-" + req.titleId() + "-"
                        + HexFormat.of().formatHex(randomBytes(6))));
                checkCancel();

                Protection prot = req.protection();
                ContentKeys.Generated hlsKey = prot.hlsAes() ? ContentKeys.generate(ContentKeys.SCHEME_AES_128) : null;
                ContentKeys.Generated cencKey = prot.cenc() ? ContentKeys.generate(ContentKeys.SCHEME_CENC) : null;
                int seg = ladder.segmentSeconds();
                // video segments are decoded as they are written, on the cores the encoders leave idle
                verifier = SegmentVerifier.perCore(tmp, req.titleId(), verification);
                SegmentVerifier segmentChecks = verifier;
                Map<Rung, SegmentedTrack> vtracks = new HashMap<>();
                List<TitleTracks.VideoTrack> videoTracks = new ArrayList<>();
                for (Rung r : ladder.rungs()) {
                    SegmentedTrack st = new SegmentedTrack(r.name(), tmp, seg, copies(r.name(), prot, hlsKey, cencKey),
                            verifier);
                    vtracks.put(r, st);
                    videoTracks.add(new TitleTracks.VideoTrack(r, st));
                }
                Map<Integer, SegmentedTrack> atracks = new HashMap<>();
                List<SegmentedTrack> audioTracks = new ArrayList<>();
                Map<String, Integer> used = new HashMap<>();
                for (AudioStreamInfo a : info.audio()) {
                    int n = used.merge(a.language(), 1, Integer::sum);
                    String name = "audio-" + a.language() + (n > 1 ? "-" + n : "");
                    SegmentedTrack st = new SegmentedTrack(name, tmp, seg, copies(name, prot, hlsKey, cencKey));
                    atracks.put(a.index(), st);
                    audioTracks.add(st);
                }

                phase(Phase.TRANSCODING, 0, 0);
                Thumbnailer thumbs = new Thumbnailer(tmp, info.durationSeconds(), req.titleId());
                TranscodeResult tr;
                try {
                    // a segment that fails its check stops the transcode early
                    tr = new Transcoder(info, ladder, info.audio(), info.subtitles(), options).run(vtracks::get,
                            a -> atracks.get(a.index()), thumbs, (f, s) -> phase(Phase.TRANSCODING, 0.95 * f, s),
                            () -> cancel.isCancelled() || segmentChecks.failure() != null);
                } catch (PackagingCancelledException e) {
                    PackagingException failed = segmentChecks.failure();
                    if (failed != null && !cancel.isCancelled()) {
                        throw new PackagingException(failed.getMessage(), failed);
                    }
                    throw e;
                }
                for (String note : tr.notes()) {
                    try {
                        listener.log(note);
                    } catch (RuntimeException ignored) {
                        // a listener's bug must not fail the job
                    }
                }
                double speed = tr.wallSeconds() > 0 ? tr.videoSeconds() / tr.wallSeconds() : 0;
                checkCancel();

                phase(Phase.WRITING, 0.95, speed);
                List<SubtitleTrack> subtitles = subtitles(info, tr, sidecars);
                TitleTracks tracks = new TitleTracks(req.titleId(), tr.videoSeconds(), seg, prot, tr.videoEncoder(),
                        videoTracks, audioTracks, hlsKey, cencKey, subtitles, thumbs.result());
                TitleWriter.write(tmp, tracks, kek);
                checkCancel();

                phase(Phase.VERIFYING, 0.97, speed);
                Map<String, Long> fed = new HashMap<>();
                for (int i = 0; i < ladder.rungs().size() && i < tr.rungFrames().size(); i++) {
                    fed.put(ladder.rungs().get(i).name(), tr.rungFrames().get(i));
                }
                OutputVerifier.verify(tmp, tracks, info.durationSeconds() > 0 ? info.durationSeconds() : tr.videoSeconds(),
                        new OutputVerifier.FrameCounts(tr.sourceFrames(), fed, ladder.gopSeconds()), verifier);
                verifier.close();
                checkCancel();

                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                    throw new PackagingException(req.titleId() + ": cannot publish to " + target + ": " + e, e);
                }
                tmp = null;
                List<String> kids = new ArrayList<>();
                if (hlsKey != null) {
                    kids.add(hlsKey.kid().toHex());
                }
                if (cencKey != null) {
                    kids.add(cencKey.kid().toHex());
                }
                phase(Phase.DONE, 1.0, speed);
                return new PackagingResult(req.titleId(), target, tr.videoSeconds(), prot,
                        tracks(videoTracks, audioTracks, subtitles), kids, tr.videoEncoder(),
                        (System.nanoTime() - t0) / 1e9, tr.remuxedRungs(), tr.notes());
            } catch (PackagingCancelledException e) {
                closeQuietly(verifier);
                deleteQuietly(tmp);
                phase(Phase.CANCELLED, progress.fraction(), 0);
                throw e;
            } catch (PackagingException e) {
                closeQuietly(verifier);
                deleteQuietly(tmp);
                phase(Phase.FAILED, progress.fraction(), 0);
                throw e;
            } catch (IOException | RuntimeException e) {
                closeQuietly(verifier);
                deleteQuietly(tmp);
                phase(Phase.FAILED, progress.fraction(), 0);
                throw new PackagingException(req.titleId() + ": packaging failed: " + e, e);
            }
        }
    }

    /** A job {@link #start started} on its own thread. */
    private record Handle(Job job, CancellationSignal signal, CompletableFuture<PackagingResult> result)
            implements PackagingHandle {
        @Override
        public String titleId() {
            return job.req.titleId();
        }

        @Override
        public PackagingProgress progress() {
            return job.progress;
        }

        @Override
        public void cancel() {
            signal.cancel();
        }

        @Override
        public boolean isDone() {
            return result.isDone();
        }

        @Override
        public PackagingResult await() {
            try {
                return result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PackagingException(titleId() + ": interrupted while waiting", e);
            } catch (ExecutionException e) {
                throw (PackagingException) e.getCause();
            }
        }

        @Override
        public PackagingResult await(Duration timeout) {
            try {
                return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PackagingException(titleId() + ": interrupted while waiting", e);
            } catch (ExecutionException e) {
                throw (PackagingException) e.getCause();
            } catch (TimeoutException e) {
                throw new PackagingException(titleId() + ": not finished after " + timeout, e);
            }
        }
    }

    /** The published tracks, typed: video highest first, audio in source order, then subtitles. */
    private static List<PackagedTrack> tracks(List<TitleTracks.VideoTrack> video, List<SegmentedTrack> audio,
                                              List<SubtitleTrack> subtitles) {
        List<PackagedTrack> out = new ArrayList<>();
        for (TitleTracks.VideoTrack v : video) {
            TrackFormat f = v.track().format();
            out.add(new PackagedTrack(v.rung().name(), TrackKind.VIDEO, "und", f == null ? "" : f.codecs(),
                    v.rung().width(), v.rung().height(), f == null ? 0 : f.bitrate()));
        }
        for (SegmentedTrack a : audio) {
            TrackFormat f = a.format();
            out.add(new PackagedTrack(a.name(), TrackKind.AUDIO, LanguageTags.toBcp47(f == null ? "und" : f.language()),
                    f == null ? "" : f.codecs(), 0, 0, f == null ? 0 : f.bitrate()));
        }
        for (SubtitleTrack t : subtitles) {
            out.add(new PackagedTrack(t.name(), TrackKind.TEXT, LanguageTags.toBcp47(t.language()),
                    PackagedTrack.WEBVTT, 0, 0, 0));
        }
        return out;
    }

    /**
     * The subtitle renditions: the source's text streams in order, then the side-car files in input order. Names
     * are {@code subs-<lang>} ({@code -2}, {@code -3} for repeats); tracks without any cue are left out.
     */
    private static List<SubtitleTrack> subtitles(MediaInfo info, TranscodeResult tr, List<Path> sidecars) {
        record Found(String language, String source, List<SubtitleCue> cues) {
        }
        List<Found> found = new ArrayList<>();
        for (SubtitleStreamInfo x : info.subtitles()) {
            List<SubtitleCue> cues = tr.subtitles().get(x.index());
            if (cues != null) {
                found.add(new Found(x.language(), info.file().getFileName() + " stream " + x.index() + " ("
                        + x.codec() + ")", cues));
            }
        }
        long shiftMs = Math.round(tr.originOffsetSeconds() * 1000);
        long endMs = Math.round(tr.videoSeconds() * 1000);
        for (Path p : sidecars) {
            found.add(new Found(SubtitleFiles.language(p), p.getFileName().toString(),
                    SubtitleFiles.read(p, shiftMs, endMs)));
        }
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> labels = new HashMap<>();
        List<SubtitleTrack> out = new ArrayList<>();
        for (Found f : found) {
            if (f.cues().isEmpty()) {
                continue;
            }
            String lang = f.language().toLowerCase(Locale.ROOT).matches("[a-z]{2,3}")
                    ? f.language().toLowerCase(Locale.ROOT) : "und";
            int n = names.merge(lang, 1, Integer::sum);
            String label = LanguageTags.englishName(lang).orElse(lang.equals("und") ? "Unknown" : lang);
            int l = labels.merge(label, 1, Integer::sum);
            out.add(new SubtitleTrack("subs-" + lang + (n > 1 ? "-" + n : ""), lang, l > 1 ? label + " " + l : label,
                    f.source(), f.cues()));
        }
        return out;
    }

    private static List<SegmentCopy> copies(String name, Protection p, ContentKeys.Generated hlsKey,
                                            ContentKeys.Generated cencKey) {
        Optional<Encryption> cenc = cencKey == null ? Optional.empty()
                : Optional.of(Encryption.cenc(cencKey.kid(), cencKey.key()));
        return switch (p) {
            case NONE -> List.of(new SegmentCopy(name, Optional.empty(), null));
            case AES_128 -> List.of(new SegmentCopy(name, Optional.empty(), hlsKey.key().bytes()));
            case CENC -> List.of(new SegmentCopy(name, cenc, null));
            case BOTH -> List.of(new SegmentCopy(name, Optional.empty(), hlsKey.key().bytes()),
                    new SegmentCopy("cenc/" + name, cenc, null));
        };
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Stops a job's segment checks so none still writes into the folder about to be deleted. */
    private static void closeQuietly(SegmentVerifier verifier) {
        if (verifier != null) {
            try {
                verifier.close();
            } catch (RuntimeException ignored) {
                // the folder is deleted anyway
            }
        }
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
