package dev.kino.control.recommend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offline evaluation at a small size: generate, then evaluate the blend the service runs against popularity.
 * The full-size figures are in RECOMMENDATIONS.md.
 */
class RecommendEvaluationTest {
    @TempDir
    Path dir;

    @Test
    void theBlendBeatsPopularityByHalfAgainAtLeast() throws IOException {
        Path file = dir.resolve("small.csv");
        long rows = InteractionGenerator.generate(new InteractionGenerator.Params(3_000, 600, 120_000, 180, 7), file);
        assertTrue(rows > 100_000 && rows <= 125_000, "about the rows asked for: " + rows);
        assertTrue(Files.exists(InteractionGenerator.itemsFile(file)));
        Evaluation.Result r = Evaluation.run(file, InteractionGenerator.itemsFile(file), 10, Blend.Params.DEFAULT);
        assertEquals(3_000, r.evaluated(), "every user has a held-out interaction");
        assertEquals(600, r.items());
        assertTrue(r.popularHitRate() > 0.01, "the baseline is not broken: " + r.report());
        assertTrue(r.blendHitRate() >= 1.5 * r.popularHitRate(), r.report());
        assertTrue(r.blendNdcg() > r.popularNdcg(), r.report());
        // the same data without item metadata: collaborative filtering alone still wins
        Evaluation.Result cf = Evaluation.run(file, null, 10, Blend.Params.DEFAULT);
        assertTrue(cf.blendHitRate() >= 1.5 * cf.popularHitRate(), cf.report());
    }

    @Test
    void theHeldOutItemIsTheLastAndIsNeverTrainedOn() throws IOException {
        // two groups that always watch their three titles in order; each user's last title is held out, and only the
        // other group's users still have it in training, so a leak would show as a perfect score
        StringBuilder csv = new StringBuilder("user_id,item_id,timestamp,weight\n");
        for (int u = 0; u < 40; u++) {
            String g = u % 2 == 0 ? "a" : "b";
            csv.append("u").append(u).append(',').append(g).append("1,100,3\n");
            csv.append("u").append(u).append(',').append(g).append("2,200,3\n");
            csv.append("u").append(u).append(',').append(g).append("3,").append(u < 20 ? 300 : 50).append(",3\n");
        }
        Path file = dir.resolve("groups.csv");
        Files.writeString(file, csv);
        Evaluation.Result r = Evaluation.run(file, null, 1, Blend.Params.DEFAULT);
        assertEquals(40, r.evaluated());
        // users 0-19 hold out x3 (watched last): the co-watchers among users 20-39 trained on x3, so it is the top
        // pick; users 20-39 watched x3 first and hold out x2, which users 0-19 trained on: also found
        assertEquals(1.0, r.blendHitRate(), 1e-9, r.report());
        assertThrows(IllegalArgumentException.class, () -> {
            Path bad = dir.resolve("bad.csv");
            Files.writeString(bad, "u1,i1,100\n");
            Evaluation.run(bad, null, 10, Blend.Params.DEFAULT);
        });
    }

    @Test
    void itemSimilarityIsShrunkCosine() {
        // users 0 and 1 watched items 0 and 1; user 2 only item 0; item 2 shares one user with item 0
        Interactions m = Interactions.builder().add(0, 0, 1, 1).add(0, 1, 1, 2).add(1, 0, 1, 1).add(1, 1, 1, 2)
                .add(2, 0, 1, 1).add(3, 0, 1, 1).add(3, 2, 1, 2).build(4, 3);
        Neighbours n = ItemSimilarity.train(m, new ItemSimilarity.Params(10, 10, 2, 100));
        // every user has 2 items except user 2 (1): a_u = 1/log2(4) = 0.5 for users 0,1,3, 1/log2(3) for user 2
        double c = Math.log(2);
        double a2 = 1 / (Math.log(4) / Math.log(2));
        double a1 = 1 / (Math.log(3) / Math.log(2));
        double dot = 2 * a2 * c * c;
        double n0 = Math.sqrt((3 * a2 + a1) * c * c);
        double n1 = Math.sqrt(2 * a2 * c * c);
        assertEquals(1, n.of(0).length, "item 2 shares one user with item 0: below the support of 2");
        assertEquals(1, n.of(0)[0]);
        assertEquals(dot / (n0 * n1) * 2 / 12.0, n.scores(0)[0], 1e-6);
        assertEquals(0, n.of(2).length);
    }

    @Test
    void franchisesAndDiversity() {
        assertEquals("attack on titan", Franchises.key("Attack on Titan Season 2"));
        assertEquals("attack on titan", Franchises.key("Attack on Titan: The Final Season"));
        assertEquals("attack on titan", Franchises.key("Attack on Titan"));
        assertEquals("cowboy bebop", Franchises.key("Cowboy Bebop: The Movie"));
        assertEquals("movie 43", Franchises.key("Movie 43"), "a name that reduces to nothing is its own key");
        Blend.Scored s = Blend.diversify(new int[]{0, 1, 2, 3, 4}, new float[]{5, 4, 3, 2, 1},
                new int[]{7, 7, 7, 8, 9}, 2, 5);
        assertEquals(List.of(0, 1, 3, 4, 2), java.util.Arrays.stream(s.items()).boxed().toList());
        assertEquals(List.of("g:drama", "t:space", "s:bones", "p:watanabe", "w:bounty", "w:hunters", "w:ship"),
                ContentSimilarity.tokens(List.of("Drama"), List.of("space"), List.of("Bones"), List.of("Watanabe"),
                        "Bounty hunters with a ship"), "words of 4+ letters, not stop words");
    }
}
