import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How long one Argon2id hash takes on this machine for candidate parameters (best of 10 after 3 warm-ups),
 * to tune PasswordHasher.Params.DEFAULT to about 50 ms. Not a test: run it alone on an idle machine:
 *
 *   java -cp app/target/lib/bcprov-jdk18on-*.jar control-api/bench/Argon2Cost.java [results-file]
 */
public class Argon2Cost {
    public static void main(String[] args) throws Exception {
        int[][] candidates = {{19 * 1024, 2, 1}, {32 * 1024, 1, 1}, {12 * 1024, 3, 1}, {46 * 1024, 1, 1}, {64 * 1024, 1, 1}};
        StringBuilder out = new StringBuilder("memoryKiB,iterations,parallelism,bestMs\n");
        for (int[] p : candidates) {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 13; i++) {
                long t = System.nanoTime();
                Argon2BytesGenerator g = new Argon2BytesGenerator();
                g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withSalt(new byte[16])
                        .withMemoryAsKB(p[0]).withIterations(p[1]).withParallelism(p[2]).build());
                g.generateBytes("correct horse battery staple".toCharArray(), new byte[32]);
                if (i >= 3) {
                    best = Math.min(best, System.nanoTime() - t);
                }
            }
            out.append(String.format(Locale.ROOT, "%d,%d,%d,%.1f%n", p[0], p[1], p[2], best / 1e6));
        }
        System.out.print(out);
        if (args.length > 0) {
            Files.writeString(Path.of(args[0]), out);
        }
    }
}
