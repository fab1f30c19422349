package dev.handoff.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.Json;
import dev.handoff.core.EmailAddress;
import dev.handoff.core.FormType;
import dev.handoff.core.Signal;
import dev.handoff.core.Stage;
import dev.handoff.core.app.ContactRef;
import dev.handoff.core.app.FormSubmission;
import dev.handoff.core.app.Qualifier;
import dev.handoff.core.app.SalesDesk;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import dev.handoff.local.EmbeddedDynamoDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * PRODUCT §7's what-if on a small table whose every figure is worked out by hand below, written by the functions'
 * own code (form posts, tracking signals, qualification, a person's moves) into DynamoDB Local.
 *
 * <p>Baseline: the score-threshold preset (SQL at 60 engagement points). Draft: the same with the bar at 20. All
 * contacts but bo have fit 50 (VP 25 + 500 employees 25), bo 15 (a manager); none is a target account.
 * <pre>
 * contact  stored stage              engagement now   as of its outcome   baseline    draft     SQL by rules b / d
 * ana      MQL                       25 (form, 2 pricing)       -          MQL         SQL       no / yes
 * bo       lead (fit 15)             25                         -          lead        lead      no / no
 * cy       MQL                       5  (form)                  -          MQL         MQL       no / no
 * dee      opportunity at T          70                         35         opportunity opportunity  no / yes (as of T)
 * eve      opportunity at T          5                          5          opportunity opportunity  no / no
 * fay      lead, moved back by sam   25 (all before the move)   -          lead (held) lead (held)  no / yes
 * gil      opportunity at T          70                         70         opportunity opportunity  yes / yes
 * </pre>
 * Outcomes: dee, eve, gil (3). Baseline: 1 SQL (gil), precision 1/1, recall 1/3. Draft: 4 SQLs (ana, dee, fay,
 * gil), 2 of them outcomes: precision 2/4, recall 2/3. dee's 35 more points after T must not count ("no peeking").
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WhatIfTest {
    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    static final Instant T = NOW.minus(Duration.ofDays(10));
    static final String TABLE = "what-if-test";
    static final AtomicInteger IDS = new AtomicInteger();

    static EmbeddedDynamoDb ddb;
    static Policy baseline;
    static DynamoDbContacts contacts;

    @TempDir
    static Path dir;
    static Path draft;

    @BeforeAll
    static void a_table_written_by_the_functions_own_code() throws Exception {
        ddb = new EmbeddedDynamoDb();
        ContactTable.create(ddb.client(), TABLE);
        baseline = PolicyLoader.preset("score-threshold");
        draft = dir.resolve("lower-bar.yaml");
        Files.writeString(draft, presetText()
                .replace("minEngagement: 60", "minEngagement: 20")
                .replace("version: \"score-threshold/2026-11-22\"", "version: \"lower-bar/1\""));
        contacts = new DynamoDbContacts(ddb.client(), TABLE, baseline.engagementWindowDays());

        String icp = "icp";
        form("ana@northwind.example", icp, NOW.minus(Duration.ofDays(3)));
        pricing("ana@northwind.example", 2, NOW.minus(Duration.ofDays(2)));
        qualify("ana@northwind.example", NOW.minus(Duration.ofDays(1)));

        form("bo@northwind.example", "manager", NOW.minus(Duration.ofDays(3)));
        pricing("bo@northwind.example", 2, NOW.minus(Duration.ofDays(2)));
        qualify("bo@northwind.example", NOW.minus(Duration.ofDays(1)));

        form("cy@northwind.example", icp, NOW.minus(Duration.ofDays(3)));
        qualify("cy@northwind.example", NOW.minus(Duration.ofDays(1)));

        // dee: 35 points when she became an opportunity, 35 more since.
        form("dee@northwind.example", icp, T.minus(Duration.ofDays(5)));
        pricing("dee@northwind.example", 3, T.minus(Duration.ofDays(2)));
        qualify("dee@northwind.example", T.minus(Duration.ofDays(1)));
        person("dee@northwind.example", Stage.OPPORTUNITY, false, T);
        pricing("dee@northwind.example", 3, NOW.minus(Duration.ofDays(2)));
        signals("dee@northwind.example", 3, at -> new Signal.PageViewed(id(), at, "/docs/start"), NOW.minus(Duration.ofDays(2)));
        signals("dee@northwind.example", 2, at -> new Signal.WebinarAttended(id(), at, "w-1"), NOW.minus(Duration.ofDays(2)));

        form("eve@northwind.example", icp, T.minus(Duration.ofDays(5)));
        qualify("eve@northwind.example", T.minus(Duration.ofDays(1)));
        person("eve@northwind.example", Stage.OPPORTUNITY, false, T);

        // fay: a person put her into SQL, then back to lead; no signal since.
        form("fay@northwind.example", icp, NOW.minus(Duration.ofDays(20)));
        pricing("fay@northwind.example", 2, NOW.minus(Duration.ofDays(19)));
        qualify("fay@northwind.example", NOW.minus(Duration.ofDays(18)));
        person("fay@northwind.example", Stage.SALES_QUALIFIED_LEAD, false, NOW.minus(Duration.ofDays(10)));
        person("fay@northwind.example", Stage.LEAD, true, NOW.minus(Duration.ofDays(5)));

        // gil: 70 points when he became an opportunity.
        form("gil@northwind.example", icp, T.minus(Duration.ofDays(5)));
        pricing("gil@northwind.example", 3, T.minus(Duration.ofDays(3)));
        signals("gil@northwind.example", 3, at -> new Signal.PageViewed(id(), at, "/docs/start"), T.minus(Duration.ofDays(3)));
        signals("gil@northwind.example", 2, at -> new Signal.WebinarAttended(id(), at, "w-1"), T.minus(Duration.ofDays(3)));
        person("gil@northwind.example", Stage.OPPORTUNITY, false, T);
    }

    @AfterAll
    static void stop() {
        if (ddb != null) ddb.close();
    }

    @Test
    void the_report_has_the_figures_worked_out_by_hand_and_the_table_is_byte_identical_after() throws Exception {
        List<Map<String, AttributeValue>> before = everyItem();
        Path out = dir.resolve("report");

        Result r = whatIf(ddb::client, "--table", TABLE, "--policy", draft.toString(), "--out", out.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(everyItem()).as("every item, every attribute").isEqualTo(before);

        Map<String, Object> json = Json.JR.mapFrom(Files.readString(out.resolve("what-if.json")));
        assertThat(json.keySet()).containsExactly("baseline", "draft", "contacts", "stages", "changes", "backtest");
        assertThat(json.get("baseline")).isEqualTo(Map.of("version", "score-threshold/2026-11-22"));
        assertThat(json.get("draft")).isEqualTo(Map.of("version", "lower-bar/1"));
        assertThat(((Number) json.get("contacts")).intValue()).isEqualTo(7);

        Map<?, ?> stages = (Map<?, ?>) json.get("stages");
        assertThat(stages.get("baseline")).isEqualTo(Map.of("lead", 2, "marketingqualifiedlead", 2,
                "salesqualifiedlead", 0, "opportunity", 3));
        assertThat(stages.get("draft")).isEqualTo(Map.of("lead", 2, "marketingqualifiedlead", 1,
                "salesqualifiedlead", 1, "opportunity", 3));
        assertThat(new ArrayList<Object>(((Map<?, ?>) stages.get("draft")).keySet()))
                .containsExactly("lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity");

        assertThat(new ArrayList<Object>((List<?>) json.get("changes"))).containsExactly(Map.of("email", "ana@northwind.example",
                "from", "marketingqualifiedlead", "to", "salesqualifiedlead", "reason", "score-threshold",
                "fit", List.of(50, 50), "engagement", List.of(25, 25)));

        Map<?, ?> backtest = (Map<?, ?>) json.get("backtest");
        assertThat(((Number) backtest.get("outcomes")).intValue()).isEqualTo(3);
        Map<?, ?> b = (Map<?, ?>) backtest.get("baseline");
        Map<?, ?> d = (Map<?, ?>) backtest.get("draft");
        assertThat(((Number) b.get("sql")).intValue()).isEqualTo(1);
        assertThat(((Number) b.get("precision")).doubleValue()).isEqualTo(1.0);
        assertThat(((Number) b.get("recall")).doubleValue()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(((Number) d.get("sql")).intValue()).isEqualTo(4);
        assertThat(((Number) d.get("precision")).doubleValue()).isEqualTo(0.5);
        assertThat(((Number) d.get("recall")).doubleValue()).isCloseTo(2.0 / 3, within(1e-12));

        assertThat(r.out()).contains("7 contacts read", "1 would change stage under lower-bar/1", "nothing written");
        assertThat(r.err()).as("the progress bar on stderr").contains("what-if [", "7 contacts");
    }

    @Test
    void the_html_page_is_self_contained_and_shows_every_part() throws Exception {
        Path out = dir.resolve("html");
        assertThat(whatIf(ddb::client, "--table", TABLE, "--policy", draft.toString(), "--out", out.toString()).status()).isZero();
        String html = Files.readString(out.resolve("what-if.html"));

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">");
        // Nothing is fetched: no URL of any scheme, no script, no linked style sheet, font or image.
        assertThat(html).doesNotContainPattern("(?i)https?:|//[a-z0-9]|<script|<link|<img|<iframe|@import|url\\(|src=|href=");
        assertThat(html).contains("Where contacts would stand", "Score distributions", "Backtest against outcomes");
        assertThat(html).containsPattern("<svg[^>]*aria-label=\"Fit score distribution").containsPattern("<svg[^>]*aria-label=\"Engagement score distribution");
        assertThat(html).contains("<td>ana@northwind.example</td><td>marketingqualifiedlead</td><td>salesqualifiedlead</td><td>score-threshold</td>");
        assertThat(html).contains("100.0 %", "33.3 %", "50.0 %", "66.7 %");
    }

    @Test
    void an_invalid_draft_is_refused_with_the_loaders_errors_before_anything_is_read() throws Exception {
        Path invalid = dir.resolve("invalid.yaml");
        Files.writeString(invalid, presetText().replace("minEngagement: 60", "minEngagement: lots"));

        Result r = whatIf(() -> {
            throw new AssertionError("a DynamoDB client was asked for");
        }, "--table", TABLE, "--policy", invalid.toString(), "--out", dir.resolve("refused").toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("invalid policy " + invalid, "sql.minEngagement: ", "nothing was read");
        assertThat(dir.resolve("refused")).doesNotExist();
    }

    @Test
    void a_wrong_command_line_or_table_is_said_plainly() {
        Result noPolicy = whatIf(ddb::client, "--table", TABLE);
        assertThat(noPolicy.status()).isEqualTo(2);
        assertThat(noPolicy.err()).contains("--policy is required", "usage: what-if.sh");

        Result noTable = whatIf(ddb::client, "--table", "no-such-table", "--policy", draft.toString(), "--out", dir.resolve("x").toString());
        assertThat(noTable.status()).isEqualTo(1);
        assertThat(noTable.err()).contains("there is no table no-such-table");
    }

    @Test
    void the_tool_cannot_write_even_if_it_tried() {
        DynamoDbClient readOnly = new ReadOnlyDynamoDb(ddb.client());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> readOnly.putItem(b -> b.tableName(TABLE)
                        .item(Map.of("pk", AttributeValue.fromS("x"), "sk", AttributeValue.fromS("y")))))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> readOnly.deleteTable(b -> b.tableName(TABLE)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    // ------------------------------------------------------------------------------------------- helpers

    record Result(int status, String out, String err) {}

    static Result whatIf(java.util.function.Supplier<DynamoDbClient> client, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // The tool closes its client: hand it one of its own on the same engine.
        java.util.function.Supplier<DynamoDbClient> own = () -> {
            client.get();
            return dev.handoff.local.LocalAws.configure(DynamoDbClient.builder(), ddb.endpoint()).build();
        };
        int status = WhatIf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), own, Clock.fixed(NOW, ZoneOffset.UTC), false);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<Map<String, AttributeValue>> everyItem() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        ddb.client().scanPaginator(b -> b.tableName(TABLE).consistentRead(true)).items().forEach(items::add);
        items.sort(Comparator.comparing((Map<String, AttributeValue> i) -> i.get("pk").s()).thenComparing(i -> i.get("sk").s()));
        return items;
    }

    static String presetText() throws Exception {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path preset = p.resolve("policies/score-threshold.yaml");
            if (Files.exists(preset)) return Files.readString(preset);
        }
        throw new AssertionError("policies/score-threshold.yaml not found");
    }

    static String id() {
        return "e-" + IDS.incrementAndGet();
    }

    static void form(String email, String who, Instant at) {
        Map<String, String> properties = who.equals("icp")
                ? Map.of("jobtitle", "VP Engineering", "numberofemployees", "500")
                : Map.of("jobtitle", "Marketing Manager");
        contacts.recordSubmission(new FormSubmission(id(), "ebook-download", FormType.CONTENT, EmailAddress.parse(email), properties, null, at));
    }

    static void pricing(String email, int n, Instant at) {
        signals(email, n, t -> new Signal.PageViewed(id(), t, "/pricing"), at);
    }

    static void signals(String email, int n, java.util.function.Function<Instant, Signal> make, Instant at) {
        for (int i = 0; i < n; i++) contacts.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(email)), make.apply(at.plusSeconds(i)));
    }

    static void qualify(String email, Instant at) {
        new Qualifier(contacts, baseline, Clock.fixed(at, ZoneOffset.UTC)).qualify(email);
    }

    static void person(String email, Stage to, boolean force, Instant at) {
        var change = new SalesDesk(contacts, baseline, Clock.fixed(at, ZoneOffset.UTC)).moveStage(EmailAddress.parse(email), to, force, "by hand", "sam");
        assertThat(change).isInstanceOf(SalesDesk.StageChange.Moved.class);
    }
}
