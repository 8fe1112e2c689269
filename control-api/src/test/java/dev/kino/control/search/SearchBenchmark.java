package dev.kino.control.search;

import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.SearchableTitle;
import dev.kino.control.comments.CommentStore;
import dev.kino.control.forum.ForumStore;
import dev.kino.control.support.FeatureServer;
import dev.kino.control.support.Http;
import dev.kino.control.support.KeepAliveClient;
import dev.kino.control.support.SharedDatabase;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Search latency at the API on a generated catalogue of 200,000 titles (not a unit test: its name keeps it out of the
 * normal build). Names: English (2–5 words), Ukrainian and Russian (Cyrillic), Japanese katakana with a romaji
 * name, drawn from 6,000 generated words with a long-tail frequency; synopses of 20–40 words. The index is loaded
 * straight from the generated titles (the catalogue feed is what {@code SearchRoutesTest} covers); the requests go
 * through HTTP, the routes, the viewer's filters, the index and the JSON rendering. 16 clients at once.
 *
 * <pre>
 * ./mvnw -B -o test -pl control-api -am -Dtest=SearchBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * # -Dbench.blockingThreads=4 (the tests' pool; default 16, a node's), -Dbench.jfr=FILE, -Dbench.label=TEXT
 * # -Dbench.client=keepalive (default) | httpclient | both (A B A B in one JVM)
 * # -Dbench.searchThreads=2,16,2,16 (a run per entry with pools of that many threads; default the shipped pools)
 * # -Dbench.mixed=true (after each run, 12 clients searching and 4 suggesting at once)
 * # -Dbench.warmRounds=N (warm-up rounds of 4,000 searches and 4,000 suggestions before the measured runs; default 1)
 * </pre>
 *
 * <p>The 16 clients are {@link KeepAliveClient}s (as {@code wrk} measures: one keep-alive connection each, opened
 * before the clock, request bytes prepared, status 200 checked on every answer); {@code -Dbench.client=httpclient}
 * runs the tests' {@link Http} (java.net.http) instead, whose selector thread and futures take CPU in this JVM from
 * the server it measures. Latencies are printed overall and per query class.
 *
 * <p>Prints the latencies and a table row (with the load average over the run) for {@code control-api/BENCHMARK.md}.
 */
class SearchBenchmark {
    static final int TITLES = Integer.getInteger("bench.titles", 200_000);
    static final int CLIENTS = 16;
    static final int REQUESTS = 4_000;
    /** Searches and suggestions never sent over HTTP, for the in-process CPU figures (more: a steadier mean). */
    static final int FRESH = 2_000;
    /**
     * The server's blocking threads (the handlers' pool): a real node's default, {@code control.blockingThreads: 16}
     * in {@code config/kino.yaml}, unless {@code -Dbench.blockingThreads} says otherwise (the tests' configuration
     * runs 4).
     */
    static final int BLOCKING_THREADS = Integer.getInteger("bench.blockingThreads", 16);
    /** Warm-up rounds (each {@value #REQUESTS} searches, then as many suggestions) before the measured runs. */
    static final int WARM_ROUNDS = Integer.getInteger("bench.warmRounds", 1);
    /**
     * {@code -Dbench.searchThreads=N[,M...]}: one measured run per entry, in that order, each with a search pool and a
     * suggestion pool of that many threads ({@code control.search.threads}, {@code control.search.suggestThreads},
     * queues of 1000) on a server of its own over the same index (so {@code 2,16,2,16} is an A B A B comparison in
     * one JVM); default one run with the shipped pools (processors × 3 / 2 + 1 threads). 16 threads with the 16 handler
     * threads measures the searches sharing the cores, as before the pools. (null: the one default run)
     */
    static final List<Integer> SEARCH_THREADS = System.getProperty("bench.searchThreads") == null
            ? java.util.Collections.singletonList(null)
            : Arrays.stream(System.getProperty("bench.searchThreads").split(",")).map(t -> Integer.valueOf(t.trim()))
                    .toList();
    private static final String[] SYLLABLES = {"ka", "ri", "to", "na", "mi", "sho", "ren", "da", "ko", "yu", "ha",
            "su", "ne", "ga", "ro", "chi", "ma", "ta", "ki", "no", "ze", "bu", "la", "vo", "der", "an", "el", "or",
            "is", "ton", "mar", "lin", "gra", "vel", "sta", "pri", "dom", "kor"};
    private static final String KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

    @Test
    void searchAndSuggestAtTheApi() throws Exception {
        // The test JVMs run Netty's leak detector at "paranoid" (a stack trace recorded per buffer access: the tests
        // catch leaks); a server runs it at the default "simple" (one buffer in 128 sampled), which is what is
        // measured unless -Dbench.leakDetection says otherwise.
        io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.valueOf(
                System.getProperty("bench.leakDetection", "SIMPLE").toUpperCase(java.util.Locale.ROOT)));
        Random rnd = new Random(42);
        String[] words = new String[6_000];
        for (int i = 0; i < words.length; i++) {
            StringBuilder w = new StringBuilder();
            int n = 2 + rnd.nextInt(3);
            for (int s = 0; s < n; s++) {
                w.append(SYLLABLES[rnd.nextInt(SYLLABLES.length)]);
            }
            words[i] = w.toString();
        }
        List<SearchableTitle> titles = new ArrayList<>(TITLES);
        // ids from a generator of their own (the rest of the catalogue is drawn from rnd as before): the same
        // catalogue in every run, so that the answers' digest below compares builds
        Random idRandom = new Random(43);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < TITLES; i++) {
            String en = phrase(rnd, words, 2 + rnd.nextInt(4));
            Map<String, String> localised = new TreeMap<>();
            localised.put("uk", cyrillic(phrase(rnd, words, 1 + rnd.nextInt(4))));
            localised.put("ru", cyrillic(phrase(rnd, words, 1 + rnd.nextInt(4))));
            if (i % 3 == 0) {
                StringBuilder ja = new StringBuilder();
                for (int k = 0, n = 3 + rnd.nextInt(7); k < n; k++) {
                    ja.append(KATAKANA.charAt(rnd.nextInt(KATAKANA.length())));
                }
                localised.put("ja", ja.toString());
                localised.put("ja-Latn", phrase(rnd, words, 2 + rnd.nextInt(3)));
            }
            names.add(en);
            titles.add(new SearchableTitle(new UUID(idRandom.nextLong(), idRandom.nextLong()), i % 4 == 0 ? "series" : "movie", en, "en", localised,
                    Map.of("en", phrase(rnd, words, 20 + rnd.nextInt(20))), 1950 + rnd.nextInt(75),
                    rnd.nextInt(5) == 0 ? 18 : 0, List.of(words[rnd.nextInt(30)], words[rnd.nextInt(30)]),
                    List.of(words[rnd.nextInt(200)]), List.of(), List.of(), (long) Math.pow(10, rnd.nextDouble() * 6), rnd.nextInt(100),
                    rnd.nextInt(1000), i % 10 != 0, Set.of("ja", "en"), Set.of("uk"), Set.of("ja", "en"), Set.of("uk"),
                    Instant.EPOCH));
        }
        // the node's configuration: its handler threads and its search and suggestion pools (control.search.*, the
        // shipped defaults: processors × 3 / 2 + 1 threads; -Dbench.searchThreads runs other sizes)
        dev.kino.common.config.KinoConfig config = SharedDatabase.config("control.blockingThreads=" + BLOCKING_THREADS);
        System.out.printf("settings: control.blockingThreads=%d, control.search=%s, runs with pool threads %s%n",
                BLOCKING_THREADS, config.control().search(), SEARCH_THREADS);
        try (TitleSearch search = new TitleSearch(null, Duration.ZERO, config.control().search())) {
            long t0 = System.nanoTime();
            for (int i = 0; i < titles.size(); i += 5_000) {
                search.load(titles.subList(i, Math.min(titles.size(), i + 5_000)), 6.5);
            }
            int segments = search.segments();
            search.compact();
            System.out.printf("indexed %d titles in %.1f s (%d segments merged into %d)%n", search.indexedTitles(),
                    (System.nanoTime() - t0) / 1e9, segments, search.segments());
            Catalog catalog = new Catalog(SharedDatabase.get().jdbi(), Clock.systemUTC());
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            try (FeatureServer server = FeatureServer.start(config, r -> SearchRoutes.register(r, search,
                    new ForumSearch(new ForumStore(SharedDatabase.get().jdbi()), new CommentStore(SharedDatabase.get().jdbi()),
                            catalog), FeatureServer.access(SharedDatabase.get().jdbi())))) {
                List<String> searches = new ArrayList<>();
                List<String> suggests = new ArrayList<>();
                List<String> httpSearches = searches;
                List<String> httpSuggests = suggests;
                // 2,000 of each for the HTTP runs, and 1,000 others for the in-process CPU figures: queries never
                // seen before (a repeated search takes its total and facets from the first)
                List<String> freshSearches = new ArrayList<>();
                List<String> freshSuggests = new ArrayList<>();
                // each query's class (searches: i % 5, see SEARCH_CLASSES; suggestions: characters typed)
                List<Integer> searchClasses = new ArrayList<>();
                List<Integer> suggestClasses = new ArrayList<>();
                for (int i = 0; i < 2_000 + FRESH; i++) {
                    if (i == 2_000) {
                        searches = freshSearches;
                        suggests = freshSuggests;
                    }
                    String name = names.get(rnd.nextInt(names.size()));
                    String[] w = name.split(" ");
                    searches.add(switch (i % 5) {
                        case 0 -> name;                                              // exact
                        case 1 -> name.substring(0, Math.max(3, name.length() * 2 / 3)); // prefix
                        case 2 -> typo(rnd, w[0]) + " " + w[w.length - 1];           // a typo
                        case 3 -> cyrillic(w[0]);                                    // other script
                        default -> w[rnd.nextInt(w.length)];                        // one word (many matches)
                    });
                    String typed = name.substring(0, Math.min(name.length(), 3 + rnd.nextInt(6)));
                    suggests.add(typed);
                    searchClasses.add(i % 5);
                    suggestClasses.add(typed.length() <= 4 ? 0 : typed.length() <= 6 ? 1 : 2);
                }
                // -Dbench.jfr=FILE records the measured requests with Flight Recorder's "profile" settings
                String jfr = System.getProperty("bench.jfr");
                jdk.jfr.Recording recording = null;
                if (jfr != null) {
                    recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                    recording.setDestination(java.nio.file.Path.of(jfr));
                    recording.start();
                }
                double loadBefore = loadAverage();
                // -Dbench.client: keepalive (default; KeepAliveClient, wrk-like), httpclient (java.net.http, in this
                // JVM: its selector thread and futures take CPU from the server measured), or both (A B A B in this
                // JVM, one index build, kept counts forgotten before every search run so each run sees the same)
                String clients = System.getProperty("bench.client", "keepalive");
                List<String> order = switch (clients) {
                    case "keepalive", "httpclient" -> List.of(clients);
                    case "both" -> List.of("keepalive", "httpclient", "keepalive", "httpclient");
                    default -> throw new IllegalArgumentException("bench.client: keepalive, httpclient or both");
                };
                // warm-up (the JIT compiles the request path; untimed): a round of each from the 16 clients, or
                // -Dbench.warmRounds of them (the C2 compiler still takes a fifth of the CPU during the measured runs
                // after one: see the CPU by thread)
                for (int round = 0; round < WARM_ROUNDS; round++) {
                    run(server, "/api/v1/search", httpSearches, searchClasses, SEARCH_CLASSES, "(warm-up)", order.get(0));
                    run(server, "/api/v1/search/suggest", httpSuggests, suggestClasses, SUGGEST_CLASSES, "(warm-up)",
                            order.get(0));
                }
                List<String> rows = new ArrayList<>();
                List<String> mixedRows = new ArrayList<>();
                double[] s = null;
                double[] g = null;
                for (String client : order) {
                    for (Integer threads : SEARCH_THREADS) {
                        search.forgetCounts();
                        String pools;
                        if (threads == null) {
                            pools = "pools " + config.control().search().threads() + "+"
                                    + config.control().search().suggestThreads();
                            s = run(server, "/api/v1/search", httpSearches, searchClasses, SEARCH_CLASSES, "search", client);
                            g = run(server, "/api/v1/search/suggest", httpSuggests, suggestClasses, SUGGEST_CLASSES,
                                    "suggest", client);
                            if (MIXED) {
                                mixedRows.add(mixedRow(pools, mixed(server, httpSearches, httpSuggests)));
                            }
                        } else {
                            pools = "pools " + threads + "+" + threads;
                            System.out.printf("-- search and suggestion pools of %d threads each%n", threads);
                            try (SearchThreadPools own = SearchThreadPools.start(
                                    new dev.kino.common.config.KinoConfig.SearchPools(threads, 1000, threads, 1000));
                                 FeatureServer other = FeatureServer.start(config, r -> SearchRoutes.register(r, search,
                                         own, new ForumSearch(new ForumStore(SharedDatabase.get().jdbi()),
                                                 new CommentStore(SharedDatabase.get().jdbi()), catalog),
                                         FeatureServer.access(SharedDatabase.get().jdbi())))) {
                                s = run(other, "/api/v1/search", httpSearches, searchClasses, SEARCH_CLASSES, "search",
                                        client);
                                g = run(other, "/api/v1/search/suggest", httpSuggests, suggestClasses, SUGGEST_CLASSES,
                                        "suggest", client);
                                if (MIXED) {
                                    mixedRows.add(mixedRow(pools, mixed(other, httpSearches, httpSuggests)));
                                }
                            }
                        }
                        rows.add(String.format("| %s, %s, %s | %%s | %d | %.1f s | %.1f / %.1f / %.1f ms | %.1f / %.1f / %.1f ms | %%s |",
                                System.getProperty("bench.label", "this run"), client, pools, BLOCKING_THREADS,
                                buildSeconds, s[0], s[1], s[2], g[0], g[1], g[2]));
                        System.out.printf("load average now %.1f%n", loadAverage());
                    }
                }
                double loadAfter = loadAverage();
                // CPU time per call in this process (one thread, no HTTP): what a request costs, whatever else the
                // machine runs (latencies under load are mostly waiting for a core; this is what they wait behind)
                search.forgetCounts();
                double suggestCpu = cpuPerCall(freshSuggests, q -> search.suggest(q, dev.kino.control.catalog.Viewer.guest()),
                        suggestClasses.subList(2_000, 2_000 + FRESH), new double[SUGGEST_CLASSES.length]);
                java.util.function.Consumer<String> searchCall = q -> search.search(new TitleSearch.Request(q, null, null,
                        null, null, null), dev.kino.control.catalog.Viewer.guest(), dev.kino.control.http.Page.Cursor.first(20));
                // per class from the same single pass (a second pass would find the words' automata and caches warm)
                double[] byClass = new double[SEARCH_CLASSES.length];
                long[] typoSearches = new long[SEARCH_CLASSES.length];
                List<Integer> freshClasses = searchClasses.subList(2_000, 2_000 + FRESH);
                int[] at = {0};
                java.util.function.Consumer<String> counted = q -> {
                    long before = search.typoSearches();
                    searchCall.accept(q);
                    typoSearches[freshClasses.get(at[0]++)] += search.typoSearches() - before;
                };
                double searchCpu = cpuPerCall(freshSearches, counted, freshClasses, byClass);
                System.out.printf("CPU per call (in process, one thread, %d of each never sent before): search %.2f ms, suggest %.3f ms%n",
                        FRESH, searchCpu, suggestCpu);
                // the answers themselves: a digest of the JSON of every fresh search (first page) and suggestion, as
                // a guest; equal digests = equal hits, order, scores, highlights, facets and totals between two builds
                java.security.MessageDigest searchDigest = java.security.MessageDigest.getInstance("SHA-256");
                // -Dbench.dump=FILE: each of those answers as a line (to find where two builds' answers differ)
                String dump = System.getProperty("bench.dump");
                StringBuilder dumped = new StringBuilder();
                for (String q : freshSearches) {
                    byte[] answer = dev.kino.control.http.Json.MAPPER.writeValueAsBytes(search.search(
                            new TitleSearch.Request(q, null, null, null, null, null),
                            dev.kino.control.catalog.Viewer.guest(), dev.kino.control.http.Page.Cursor.first(20)));
                    searchDigest.update(answer);
                    if (dump != null) {
                        dumped.append(q).append('\t').append(new String(answer, StandardCharsets.UTF_8)).append('\n');
                    }
                }
                if (dump != null) {
                    java.nio.file.Files.writeString(java.nio.file.Path.of(dump), dumped);
                }
                java.security.MessageDigest suggestDigest = java.security.MessageDigest.getInstance("SHA-256");
                for (String q : freshSuggests) {
                    suggestDigest.update(dev.kino.control.http.Json.MAPPER.writeValueAsBytes(
                            search.suggest(q, dev.kino.control.catalog.Viewer.guest())));
                }
                System.out.printf("answers' digest (SHA-256 of the JSON of the %d fresh searches; suggestions): %s; %s%n",
                        FRESH, java.util.HexFormat.of().formatHex(searchDigest.digest()).substring(0, 16),
                        java.util.HexFormat.of().formatHex(suggestDigest.digest()).substring(0, 16));
                StringBuilder perClass = new StringBuilder("CPU per search by class:");
                for (int c = 0; c < SEARCH_CLASSES.length; c++) {
                    perClass.append(String.format(" %s %.2f ms;", SEARCH_CLASSES[c], byClass[c]));
                }
                System.out.println(perClass);
                StringBuilder typoClasses = new StringBuilder("searches that ran the typo clauses, by class:");
                for (int c = 0; c < SEARCH_CLASSES.length; c++) {
                    typoClasses.append(String.format(" %s %d of %d;", SEARCH_CLASSES[c], typoSearches[c],
                            java.util.Collections.frequency(freshClasses, c)));
                }
                System.out.println(typoClasses);
                try {
                    long[] paths = (long[]) TitleSearch.class.getDeclaredMethod("suggestionPaths").invoke(search);
                    System.out.printf("suggestions answered from the arrays: %d, by the query path: %d%n", paths[0],
                            paths[1]);
                } catch (NoSuchMethodException e) {
                    System.out.println("(no suggestion arrays in this build)");
                }
                if (recording != null) {
                    recording.stop();
                    recording.close();
                }
                // rows for control-api/BENCHMARK.md's table
                System.out.printf("%n| run | load (1 min) | threads | index build | search p50 / p95 / p99 | suggest p50 / p95 / p99 | CPU per search / suggest |%n"
                        + "| --- | --- | --- | --- | --- | --- | --- |%n");
                String load = String.format("%.1f–%.1f", Math.min(loadBefore, loadAfter), Math.max(loadBefore, loadAfter));
                String cpu = String.format("%.2f / %.3f ms", searchCpu, suggestCpu);
                for (String row : rows) {
                    System.out.println(String.format(row, load, cpu));
                }
                if (!mixedRows.isEmpty()) {
                    System.out.printf("%n| mixed run (12 search + 4 suggest clients) | load (1 min) | search p50 / p95 / p99"
                            + " | suggest p50 / p95 / p99 |%n| --- | --- | --- | --- |%n");
                    for (String row : mixedRows) {
                        System.out.println(String.format(row, load));
                    }
                }
                System.out.println();
            }
        }
    }

    /**
     * @param classes each query's class
     * @param byClass set to the mean CPU time of the class's calls, in ms
     * @return mean CPU time of one call on this thread, in ms, each query once (the JIT is warm from the runs)
     */
    private static double cpuPerCall(List<String> queries, java.util.function.Consumer<String> call,
                                     List<Integer> classes, double[] byClass) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] sum = new long[byClass.length];
        int[] count = new int[byClass.length];
        long total = 0;
        for (int i = 0; i < queries.size(); i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            call.accept(queries.get(i));
            long t = threads.getCurrentThreadCpuTime() - t0;
            total += t;
            sum[classes.get(i)] += t;
            count[classes.get(i)]++;
        }
        for (int c = 0; c < byClass.length; c++) {
            byClass[c] = count[c] == 0 ? 0 : sum[c] / 1e6 / count[c];
        }
        return total / 1e6 / queries.size();
    }

    /** Client threads named {@code bench-client-N}, to tell their CPU from the server's. */
    private static java.util.concurrent.ThreadFactory clientThreads() {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> new Thread(r, "bench-client-" + n.incrementAndGet());
    }

    /**
     * CPU time (user + system) of this process's threads so far, by thread name without its number (the kernel's
     * names: the first 15 characters of a Java thread's name, {@code kino-control-io} for the event loops, and the
     * JVM's own threads: compilers, GC), from {@code /proc/self/task/}{@code *}{@code /stat} (proc(5): utime and stime,
     * fields 14 and 15, in clock ticks of 10 ms). Threads that ended are not in it. Empty off Linux.
     *
     * @return milliseconds by thread group
     */
    static Map<String, Long> threadCpu() {
        Map<String, Long> out = new TreeMap<>();
        try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks =
                     java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : tasks) {
                String stat;
                try {
                    stat = java.nio.file.Files.readString(task.resolve("stat"));
                } catch (java.io.IOException ended) {
                    continue;
                }
                int close = stat.lastIndexOf(')');
                String name = stat.substring(stat.indexOf('(') + 1, close).replaceAll("[-#]?\\d+$", "")
                        .replaceAll("^pool-\\d+-thread$", "pool-thread");
                String[] fields = stat.substring(close + 2).split(" ");
                out.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10, Long::sum);
            }
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /** @return CPU time the whole machine spent not idle so far, in ms ({@code /proc/stat}'s first line); -1 off Linux */
    static long machineCpuMillis() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * 10;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Prints the CPU time per request of each thread group over a measured run (where a request's time goes beside
     * the handler's own: event loops, clients, compilers, GC), the process's total and the machine's (other
     * processes' work shows as the difference).
     */
    private static void printCpuByThread(String label, Map<String, Long> before, Map<String, Long> after,
                                         long machineMillis, int requests) {
        if (after.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(String.format("    CPU per request by thread (%s):", label));
        long total = 0;
        List<Map.Entry<String, Long>> used = new ArrayList<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long ms = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            total += ms;
            if (ms > 0) {
                used.add(Map.entry(e.getKey(), ms));
            }
        }
        used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (Map.Entry<String, Long> e : used) {
            sb.append(String.format(" %s %.3f;", e.getKey(), e.getValue() / (double) requests));
        }
        sb.append(String.format(" this process %.3f ms, the machine %.3f ms", total / (double) requests,
                machineMillis / (double) requests));
        System.out.println(sb);
    }

    /** @return the system's one-minute load average (other builds on the machine show here), or -1 */
    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Search query classes, by the index {@code i % 5} they were made with. */
    static final String[] SEARCH_CLASSES = {"exact", "prefix", "typo", "other script", "one word"};
    /** Suggestion classes: characters typed. */
    static final String[] SUGGEST_CLASSES = {"3–4 chars", "5–6 chars", "7–8 chars"};

    /**
     * Sends 300 warm-up requests, then {@value #REQUESTS} from {@value #CLIENTS} client threads, and prints the
     * latencies overall and per query class (with each class's share of the slowest 5 %).
     *
     * @param client {@code keepalive}: one {@link KeepAliveClient} connection per client thread, opened before the
     *               clock, request bytes prepared beforehand, timed from the first byte written to the last read;
     *               {@code httpclient}: the tests' {@link Http} (java.net.http, sharing this JVM's CPU)
     * @return p50, p95 and p99 in milliseconds
     */
    private static double[] run(FeatureServer server, String path, List<String> queries, List<Integer> classes,
                                String[] classNames, String label, String client) throws Exception {
        Http http = server.http();
        boolean keepAlive = client.equals("keepalive");
        List<String> paths = new ArrayList<>(queries.size());
        List<byte[]> prepared = new ArrayList<>(queries.size());
        for (String q : queries) {
            String p = path + "?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
            paths.add(p);
            prepared.add(KeepAliveClient.request("GET", p, null, null));
        }
        try (KeepAliveClient warm = new KeepAliveClient(server.port())) {
            for (int i = 0; i < 300; i++) {
                int status = keepAlive ? warm.exchange(prepared.get(i % queries.size())).status()
                        : http.get(paths.get(i % queries.size()), null).status();
                assertEquals(200, status);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS, clientThreads());
        List<Future<long[][]>> futures = new ArrayList<>();
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(CLIENTS);
        Map<String, Long> cpuBefore = threadCpu();
        long machineBefore = machineCpuMillis();
        for (int c = 0; c < CLIENTS; c++) {
            int client0 = c;
            futures.add(pool.submit(() -> {
                long[][] times = new long[2][REQUESTS / CLIENTS]; // [0]: nanoseconds, [1]: the query's class
                try (KeepAliveClient connection = keepAlive ? new KeepAliveClient(server.port()) : null) {
                    ready.countDown();
                    ready.await();
                    for (int i = 0; i < times[0].length; i++) {
                        int query = (client0 * 7919 + i) % queries.size();
                        int status;
                        String text;
                        long t = System.nanoTime();
                        if (keepAlive) {
                            KeepAliveClient.Answer a = connection.exchange(prepared.get(query));
                            times[0][i] = System.nanoTime() - t;
                            status = a.status();
                            text = status == 200 ? null : a.text();
                        } else {
                            Http.Resp r = http.get(paths.get(query), null);
                            times[0][i] = System.nanoTime() - t;
                            status = r.status();
                            text = r.text();
                        }
                        times[1][i] = classes.get(query);
                        if (status != 200) {
                            throw new AssertionError(status + " " + text);
                        }
                    }
                }
                return times;
            }));
        }
        List<long[][]> results = new ArrayList<>();
        for (Future<long[][]> f : futures) {
            results.add(f.get());
        }
        printCpuByThread(label, cpuBefore, threadCpu(), machineCpuMillis() - machineBefore, REQUESTS);
        long[] all = results.stream().flatMapToLong(t -> Arrays.stream(t[0])).toArray();
        List<long[]> byClass = new ArrayList<>();
        for (int c = 0; c < classNames.length; c++) {
            int cls = c;
            byClass.add(results.stream().flatMapToLong(t -> java.util.stream.IntStream.range(0, t[0].length)
                    .filter(i -> t[1][i] == cls).mapToLong(i -> t[0][i])).toArray());
        }
        pool.shutdown();
        Arrays.sort(all);
        System.out.printf("%-8s %-10s %d requests, %d clients: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                label, client, all.length, CLIENTS, pct(all, 50), pct(all, 95), pct(all, 99), all[all.length - 1] / 1e6);
        long slow = all[(int) Math.ceil(0.95 * all.length) - 1];
        for (int c = 0; c < classNames.length; c++) {
            long[] t = byClass.get(c);
            if (t.length == 0) {
                continue;
            }
            Arrays.sort(t);
            long inTail = Arrays.stream(t).filter(x -> x > slow).count();
            System.out.printf("    %-14s %5d: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms; %d of the slowest 5 %%%n",
                    classNames[c], t.length, pct(t, 50), pct(t, 95), pct(t, 99), inTail);
        }
        return new double[]{pct(all, 50), pct(all, 95), pct(all, 99)};
    }

    /**
     * Searches and suggestions at the same time ({@code -Dbench.mixed=true}): {@value #MIXED_SEARCHERS} keep-alive
     * clients send searches while the other {@value #CLIENTS} − {@value #MIXED_SEARCHERS} send suggestions, 250
     * requests each; prints both latencies. With the pools, a suggestion waits only behind other suggestions.
     *
     * @return search p50, p95, p99, then suggest p50, p95, p99, in milliseconds
     */
    private static double[] mixed(FeatureServer server, List<String> searches, List<String> suggests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(CLIENTS);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            boolean searcher = c < MIXED_SEARCHERS;
            List<String> queries = searcher ? searches : suggests;
            String path = searcher ? "/api/v1/search" : "/api/v1/search/suggest";
            int client = c;
            futures.add(pool.submit(() -> {
                long[] times = new long[250];
                try (KeepAliveClient connection = new KeepAliveClient(server.port())) {
                    ready.countDown();
                    ready.await();
                    for (int i = 0; i < times.length; i++) {
                        byte[] request = KeepAliveClient.request("GET", path + "?q=" + URLEncoder.encode(
                                queries.get((client * 7919 + i) % queries.size()), StandardCharsets.UTF_8), null, null);
                        long t = System.nanoTime();
                        KeepAliveClient.Answer a = connection.exchange(request);
                        times[i] = System.nanoTime() - t;
                        if (a.status() != 200) {
                            throw new AssertionError(a.status() + " " + a.text());
                        }
                    }
                }
                return times;
            }));
        }
        long[] search = new long[0];
        long[] suggest = new long[0];
        for (int c = 0; c < CLIENTS; c++) {
            long[] t = futures.get(c).get();
            long[] into = c < MIXED_SEARCHERS ? search : suggest;
            long[] joined = Arrays.copyOf(into, into.length + t.length);
            System.arraycopy(t, 0, joined, into.length, t.length);
            if (c < MIXED_SEARCHERS) {
                search = joined;
            } else {
                suggest = joined;
            }
        }
        pool.shutdown();
        Arrays.sort(search);
        Arrays.sort(suggest);
        System.out.printf("mixed    keepalive  %d searches (%d clients) and %d suggestions (%d clients) at once: search p50"
                        + " %.1f ms, p95 %.1f ms, p99 %.1f ms; suggest p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%n",
                search.length, MIXED_SEARCHERS, suggest.length, CLIENTS - MIXED_SEARCHERS, pct(search, 50),
                pct(search, 95), pct(search, 99), pct(suggest, 50), pct(suggest, 95), pct(suggest, 99));
        return new double[]{pct(search, 50), pct(search, 95), pct(search, 99), pct(suggest, 50), pct(suggest, 95),
                pct(suggest, 99)};
    }

    private static String mixedRow(String pools, double[] m) {
        return String.format("| %s, %s | %%s | %.1f / %.1f / %.1f ms | %.1f / %.1f / %.1f ms |",
                System.getProperty("bench.label", "this run"), pools, m[0], m[1], m[2], m[3], m[4], m[5]);
    }

    /** {@code -Dbench.mixed=true}: after each run, searches and suggestions at once ({@link #mixed}). */
    static final boolean MIXED = Boolean.getBoolean("bench.mixed");

    /** Clients sending searches in the mixed run (the others send suggestions). */
    static final int MIXED_SEARCHERS = 12;

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }

    private static String phrase(Random rnd, String[] words, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            // long tail: low indexes far more often
            int idx = (int) Math.min(words.length - 1, Math.abs(rnd.nextGaussian()) * words.length / 3);
            if (sb.length() > 0) {
                sb.append(' ');
            }
            String w = words[idx];
            sb.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
        }
        return sb.toString();
    }

    private static String typo(Random rnd, String w) {
        if (w.length() < 5) {
            return w;
        }
        int i = 1 + rnd.nextInt(w.length() - 2);
        return w.substring(0, i) + w.charAt(i + 1) + w.charAt(i) + w.substring(i + 2);
    }

    private static String cyrillic(String latin) {
        String s = latin.toLowerCase();
        String[][] map = {{"sho", "шо"}, {"chi", "чі"}, {"yu", "ю"}, {"a", "а"}, {"b", "б"}, {"d", "д"}, {"e", "е"},
                {"g", "г"}, {"h", "х"}, {"i", "і"}, {"k", "к"}, {"l", "л"}, {"m", "м"}, {"n", "н"}, {"o", "о"},
                {"p", "п"}, {"r", "р"}, {"s", "с"}, {"t", "т"}, {"u", "у"}, {"v", "в"}, {"z", "з"}};
        for (String[] m : map) {
            s = s.replace(m[0], m[1]);
        }
        return s;
    }
}
