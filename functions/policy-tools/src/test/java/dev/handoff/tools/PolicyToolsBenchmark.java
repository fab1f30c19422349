package dev.handoff.tools;

import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.SignalItems;
import dev.handoff.core.EmailAddress;
import dev.handoff.core.FormType;
import dev.handoff.core.Reason;
import dev.handoff.core.Signal;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.FormSubmission;
import dev.handoff.core.app.Qualifier;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import dev.handoff.local.EmbeddedDynamoDb;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Figures, not a test (run by {@code scripts/bench-policy-tools.sh}): what-if's speed and memory on generated tables
 * of 10,000 and 100,000 contacts in DynamoDB Local, and requalify's cost per contact in DynamoDB units.
 *
 * <p>The table is written through the functions' own repository (a form post, the entry move, and for one contact in
 * ten a person's move to opportunity) and their signal items (0-6 tracking signals each, batched), in this JVM's
 * DynamoDB Local. what-if runs as the
 * script runs it, in a JVM of its own ({@code java -cp policy-tools.jar dev.handoff.tools.WhatIf}), so its memory is
 * its own; it reports its peak heap and resident set. Requalify's requests are made against the same table, then
 * the qualification function's re-evaluation of a sample of contacts is metered ({@link Qualifier#requalify} on the
 * repository with ReturnConsumedCapacity, as the function runs it).
 *
 * <p>Arguments: {@code sizes} (default 10000,100000), {@code --jar} the policy-tools jar.
 */
public final class PolicyToolsBenchmark {
    static final String TABLE = "bench";
    static final Instant NOW = Instant.now();

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        Path jar = Path.of("functions/policy-tools/target/policy-tools.jar");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--jar")) jar = Path.of(args[++i]);
            else for (String n : args[i].split(",")) sizes.add(Integer.parseInt(n.strip()));
        }
        if (sizes.isEmpty()) sizes = List.of(10_000, 100_000);
        Policy baseline = PolicyLoader.preset("score-threshold");
        Path dir = Files.createTempDirectory("policy-tools-bench");
        Path draft = dir.resolve("draft.yaml");
        try (var in = PolicyLoader.class.getClassLoader().getResourceAsStream("policies/score-threshold.yaml")) {
            Files.writeString(draft, new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("minEngagement: 60", "minEngagement: 40").replaceFirst("version: \"[^\"]*\"", "version: \"bench/1\""));
        }
        System.out.printf("machine: %d cores (shared), JDK %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
        for (int n : sizes) {
            try (EmbeddedDynamoDb ddb = new EmbeddedDynamoDb()) {
                ContactTable.create(ddb.client(), TABLE);
                long t0 = System.nanoTime();
                seed(ddb, baseline, n);
                System.out.printf(Locale.ROOT, "%,d contacts: table written in %.0f s%n", n, (System.nanoTime() - t0) / 1e9);
                whatIf(ddb, jar, draft, dir.resolve("out-" + n), n);
                requalify(ddb, baseline, n);
            }
        }
    }

    static void whatIf(EmbeddedDynamoDb ddb, Path jar, Path draft, Path out, int n) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-XX:+UseSerialGC", "-cp", jar.toString(), "dev.handoff.tools.WhatIf",
                "--table", TABLE, "--policy", draft.toString(), "--out", out.toString())
                .redirectErrorStream(false);
        pb.environment().put("AWS_ENDPOINT_URL_DYNAMODB", ddb.endpoint().toString());
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().put("AWS_ACCESS_KEY_ID", "bench");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "bench");
        Path stderr = out.resolveSibling(out.getFileName() + ".stderr");
        pb.redirectError(stderr.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
            List<String> err = Files.readAllLines(stderr);
            throw new IllegalStateException("what-if failed:\n" + stdout + String.join("\n", err.subList(Math.max(0, err.size() - 30), err.size())));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "what-if %,d contacts: %.1f s wall including JVM start, %,.0f contacts/s%n", n, secs, n / secs);
        for (String line : stdout.split("\n")) System.out.println("  | " + line);
    }

    static void requalify(EmbeddedDynamoDb ddb, Policy policy, int n) {
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        long t0 = System.nanoTime();
        Requalify.Run run = Requalify.requalify(ddb.client(), TABLE, 4, 8, Clock.systemUTC(), quiet, false);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "requalify %,d contacts: %.1f s, %,.0f requests/s; scan %.3f RRU + request %.3f WRU a contact%n",
                run.queued(), secs, run.queued() / secs, run.scanReadUnits() / run.queued(), run.requestWriteUnits() / run.queued());

        // The function's side: its re-evaluation of each contact, metered on a sample.
        DoubleAdder reads = new DoubleAdder();
        DoubleAdder writes = new DoubleAdder();
        DynamoDbContacts metered = new DynamoDbContacts(ddb.client(), TABLE, policy, Clock.systemUTC(),
                c -> (c.write() ? writes : reads).add(c.units()));
        Qualifier qualifier = new Qualifier(metered, policy, Clock.systemUTC());
        int sample = Math.min(n, 2_000);
        int moved = 0;
        for (int i = 0; i < sample; i++) {
            if (qualifier.requalify(email(i)) instanceof Qualifier.Outcome.Moved) moved++;
        }
        System.out.printf(Locale.ROOT, "  the function's re-evaluation (%,d contacts sampled, %d moved): %.3f RRU + %.3f WRU a contact%n",
                sample, moved, reads.sum() / sample, writes.sum() / sample);
    }

    static String email(int i) {
        return "c" + i + "@bench" + (i % 500) + ".example";
    }

    static void flush(EmbeddedDynamoDb ddb, List<WriteRequest> batch) {
        List<WriteRequest> pending = new ArrayList<>(batch);
        batch.clear();
        while (!pending.isEmpty()) {
            List<WriteRequest> now = pending;
            var unprocessed = ddb.client().batchWriteItem(b -> b.requestItems(Map.of(TABLE, now))).unprocessedItems();
            pending = new ArrayList<>(unprocessed.getOrDefault(TABLE, List.of()));
        }
    }

    /** n contacts through the repository, on 8 threads: deterministic, a realistic mix of fit and engagement. */
    static void seed(EmbeddedDynamoDb ddb, Policy policy, int n) throws Exception {
        DynamoDbContacts contacts = new DynamoDbContacts(ddb.client(), TABLE, policy);
        String[] titles = {"VP Engineering", "Marketing Manager", "Engineer", "CTO", "Student", "Head of Sales", "Analyst"};
        String[] sizes = {"5", "30", "120", "500", "2500"};
        String[] paths = {"/pricing", "/docs/start", "/demo", "/blog/post", "/pricing/teams"};
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        int chunk = 1_000;
        for (int from = 0; from < n; from += chunk) {
            int start = from;
            work.add(pool.submit(() -> {
                List<WriteRequest> batch = new ArrayList<>();
                for (int i = start; i < Math.min(n, start + chunk); i++) {
                    Random r = new Random(i);
                    String email = email(i);
                    Instant formAt = NOW.minus(Duration.ofHours(1 + r.nextInt(24 * 60)));
                    contacts.recordSubmission(new FormSubmission("f-" + i, "ebook-download", FormType.CONTENT, EmailAddress.parse(email),
                            Map.of("jobtitle", titles[r.nextInt(titles.length)], "numberofemployees", sizes[r.nextInt(sizes.length)]),
                            null, formAt));
                    int signals = r.nextInt(7);
                    for (int k = 0; k < signals; k++) {
                        Instant at = NOW.minus(Duration.ofHours(1 + r.nextInt(24 * 60)));
                        Signal s = switch (r.nextInt(4)) {
                            case 0 -> new Signal.SessionStarted("s-" + i + "-" + k, at);
                            case 1 -> new Signal.WebinarAttended("s-" + i + "-" + k, at, "w-" + r.nextInt(5));
                            default -> new Signal.PageViewed("s-" + i + "-" + k, at, paths[r.nextInt(paths.length)]);
                        };
                        // The items the tracking function writes, 25 a request: seeding is not what is measured.
                        batch.add(WriteRequest.builder().putRequest(PutRequest.builder()
                                .item(SignalItems.toItem(ContactTable.contactKey(email), s, policy.engagementWindowDays())).build()).build());
                        if (batch.size() == 25) flush(ddb, batch);
                    }
                    List<StageMove> moves = new ArrayList<>();
                    moves.add(new StageMove(null, Stage.LEAD, formAt, Reason.FORM_SUBMISSION, StageMove.POLICY_ACTOR, policy.version(), null));
                    if (r.nextInt(10) == 0) {
                        Instant won = NOW.minus(Duration.ofDays(1 + r.nextInt(30)));
                        moves.add(new StageMove(Stage.LEAD, Stage.OPPORTUNITY, won.isAfter(formAt) ? won : formAt.plusSeconds(60),
                                Reason.MANUAL, "sam", policy.version(), null));
                    }
                    contacts.recordMoves(email, 1, moves, null); // a new profile's version after its form post
                }
                flush(ddb, batch);
            }));
        }
        for (Future<?> f : work) f.get();
        pool.shutdown();
    }
}
