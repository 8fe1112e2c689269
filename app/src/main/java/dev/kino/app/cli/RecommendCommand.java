package dev.kino.app.cli;

import dev.kino.app.runtime.UserFacingException;
import dev.kino.control.recommend.Blend;
import dev.kino.control.recommend.Evaluation;
import dev.kino.control.recommend.InteractionGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ./kino recommend evaluate|generate}: the offline evaluation of the recommender the control API runs
 * ({@code dev.kino.control.recommend.Blend}, the same code), and the generator of a synthetic interaction set to run
 * it on. Neither touches the database. See {@code control-api/RECOMMENDATIONS.md}.
 */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Evaluate the recommender offline, or generate an interaction set to evaluate it on.",
        subcommands = {RecommendCommand.Evaluate.class, RecommendCommand.Generate.class})
public final class RecommendCommand {

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Hold out each user's last interaction, train on the rest, and print HR@10 and NDCG@10 over the"
                    + " whole catalogue for the blend and a popularity baseline, with the run time.")
    static final class Evaluate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--interactions", required = true, paramLabel = "FILE.csv",
                description = "Rows of user_id,item_id,timestamp,weight (header optional; timestamp in epoch seconds or ISO-8601).")
        Path interactions;

        @Option(names = "--items", paramLabel = "FILE.items.csv",
                description = "Item metadata (item_id,franchise,genres,tags,studio) for the content model and franchise"
                        + " diversity; default: the generator's file beside --interactions, if present.")
        Path items;

        @Option(names = "--no-items", description = "Ignore item metadata even if the generator's file is present.")
        boolean noItems;

        @Option(names = "--k", defaultValue = "10", paramLabel = "K", description = "List length (default 10).")
        int k;

        @Override
        public Integer call() {
            if (!Files.isReadable(interactions)) {
                throw new UserFacingException("--interactions: cannot read " + interactions);
            }
            Path meta = noItems ? null : items != null ? items : InteractionGenerator.itemsFile(interactions);
            if (items != null && !Files.isReadable(items)) {
                throw new UserFacingException("--items: cannot read " + items);
            }
            if (meta != null && !Files.isReadable(meta)) {
                meta = null;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("evaluating " + interactions + (meta == null ? " (no item metadata)" : " with " + meta)
                    + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB, "
                    + Runtime.getRuntime().availableProcessors() + " CPUs");
            out.flush();
            try {
                Evaluation.Result r = Evaluation.run(interactions, meta, k, Blend.Params.DEFAULT);
                out.print(r.report());
                Runtime rt = Runtime.getRuntime();
                out.println("heap in use at the end: " + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024) + " MiB");
                out.flush();
                return 0;
            } catch (IOException e) {
                throw new UserFacingException("cannot read the input: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(e.getMessage(), e);
            }
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write a synthetic interaction set: users with latent genre tastes, long-tail popularity,"
                    + " series watched in order (and FILE.items.csv beside it).")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--users", defaultValue = "100000", description = "Users (default 100000).")
        int users;

        @Option(names = "--titles", defaultValue = "20000", description = "Titles (default 20000).")
        int titles;

        @Option(names = "--interactions", defaultValue = "5000000", description = "Rows, approximately (default 5000000).")
        long interactions;

        @Option(names = "--days", defaultValue = "365", description = "Days the timestamps span (default 365).")
        int days;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default 42).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Where to write the rows.")
        Path out;

        @Override
        public Integer call() {
            InteractionGenerator.Params p;
            try {
                p = new InteractionGenerator.Params(users, titles, interactions, days, seed);
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(e.getMessage(), e);
            }
            long t0 = System.nanoTime();
            try {
                long rows = InteractionGenerator.generate(p, out);
                PrintWriter w = spec.commandLine().getOut();
                w.printf("wrote %,d interactions of %,d users over %,d titles to %s and %s in %.1f s%n", rows, users,
                        titles, out, InteractionGenerator.itemsFile(out), (System.nanoTime() - t0) / 1e9);
                w.flush();
                return 0;
            } catch (IOException e) {
                throw new UserFacingException("cannot write " + out + ": " + e.getMessage(), e);
            }
        }
    }
}
