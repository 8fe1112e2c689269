package dev.kino.packager.job;

import dev.kino.common.packaging.Protection;
import dev.kino.packager.ladder.LadderSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to package.
 *
 * @param inputs source files; the first provides the video, its audio tracks and its text subtitle streams; any
 *               further inputs must be side-car subtitle files ({@code .srt}, {@code .vtt}, {@code .ass},
 *               {@code .ssa}, matched by extension; language from a {@code name.<lang>.srt} suffix), else the job
 *               fails
 * @param titleId the title's id: 1–64 characters of {@code [A-Za-z0-9_-]}, the published folder's name
 * @param outRoot the folder of published titles ({@code media.root}); the title is written to
 *                {@code <outRoot>/.tmp-<titleId>-<random>/} and renamed to {@link #titleFolder()}
 * @param ladder rungs, segment duration (seconds) and GOP
 * @param protection encryption
 */
public record PackagingRequest(List<Path> inputs, String titleId, Path outRoot, LadderSpec ladder,
                               Protection protection) {
    /** @throws IllegalArgumentException for no input or a title id that is not a safe folder name */
    public PackagingRequest {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a packaging request needs an input file");
        }
        Objects.requireNonNull(titleId, "titleId");
        if (!titleId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("title id must be 1-64 characters of A-Z a-z 0-9 _ -, not " + titleId);
        }
        Objects.requireNonNull(outRoot, "outRoot");
        Objects.requireNonNull(ladder, "ladder");
        Objects.requireNonNull(protection, "protection");
    }

    /**
     * The one place the published folder of a title is computed: the packager publishes there, and reports it as
     * {@link PackagingResult#folder()}.
     *
     * @return {@code <outRoot>/<titleId>}
     */
    public Path titleFolder() {
        return outRoot.resolve(titleId);
    }

    /** @return a request with the default ladder (6 s segments) */
    public static PackagingRequest of(Path input, String titleId, Path outRoot, Protection protection) {
        return new PackagingRequest(List.of(input), titleId, outRoot, LadderSpec.defaults(), protection);
    }
}
