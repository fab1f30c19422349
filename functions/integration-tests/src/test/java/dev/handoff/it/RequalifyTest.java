package dev.handoff.it;

import static dev.handoff.it.Tracking.email;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Reason;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.tools.Requalify;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PRODUCT §7's requalify end to end: contacts stored while the functions ran the {@code sales-accepted} preset
 * (SQL only when sales accepts), then the {@code score-threshold} preset deployed (SQL at 60 engagement points),
 * then {@code scripts/requalify.sh}'s code run against the table while tracking events keep arriving. The moves
 * and alerts are made by the deployed qualification and alert functions, from the table's stream.
 */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RequalifyTest {

    @Test
    void contacts_the_new_policy_would_move_move_once_with_one_alert_a_second_run_moves_nobody_and_events_during_it_count_once(
            Stack stack) throws Exception {
        PresetStack functions = PresetStack.own(stack, "sales-accepted", "requalify");
        String ana = Stack.email("rq-ana");   // 70 points: SQL under score-threshold
        String bo = Stack.email("rq-bo");     // 70 points too
        String cy = Stack.email("rq-cy");     // 5 points: stays an MQL
        String fay = Stack.email("rq-fay");   // 70 points, but a person moved her back to lead
        for (String email : List.of(ana, bo, cy, fay)) {
            assertThat(functions.forms.apply(Forms.json("ebook-download",
                    Map.of("email", email, "jobtitle", "VP Engineering", "numberofemployees", "500"))).getStatusCode()).isEqualTo(202);
        }
        for (String email : List.of(ana, bo, fay)) functions.enqueue(seventyPointsLess5(email).toArray(Tracking.Event[]::new));
        functions.settle();
        assertThat(functions.sales.stage(fay, "{\"stage\": \"lead\", \"reason\": \"not now\", \"actor\": \"sam\", \"force\": true}")
                .status()).isEqualTo(200);
        functions.settle();
        for (String email : List.of(ana, bo, cy)) assertThat(stage(functions, email)).as(email).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        assertThat(stage(functions, fay)).isEqualTo(Stage.LEAD);

        // The policy change is deployed: nothing moves until someone acts again.
        functions.redeploy("score-threshold");
        assertThat(stage(functions, ana)).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);

        // requalify, while events keep arriving: bo acts again (and a producer sends one event twice), and a new
        // contact shows up with enough points for SQL at once.
        String dee = Stack.email("rq-dee");
        List<Tracking.Event> during = new ArrayList<>(List.of(Tracking.sessionStarted(email(bo)), Tracking.sessionStarted(email(bo))));
        during.add(during.get(1)); // the same eventId again
        CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
            functions.enqueue(during.toArray(Tracking.Event[]::new));
            functions.forms.apply(Forms.json("demo-request", Map.of("email", dee, "jobtitle", "CTO", "numberofemployees", "2000")));
            functions.enqueue(seventyPointsLess5(dee).toArray(Tracking.Event[]::new));
            functions.settle(); // the functions at work while the requests are being written
        });
        Requalify.Run first = Requalify.requalify(stack.dynamoDb, functions.table, 2, 4, Clock.systemUTC(), quiet(), false);
        traffic.get();
        functions.settle();

        assertThat(first.queued()).as("every profile of the table, dee's when the scan saw it").isBetween(4L, 5L);
        for (String email : List.of(ana, bo, dee)) {
            List<StageMove> intoSql = functions.load(email).contact().history().stream()
                    .filter(m -> m.to() == Stage.SALES_QUALIFIED_LEAD).toList();
            assertThat(intoSql).as(email + "'s moves into SQL").hasSize(1);
            assertThat(stack.alertsFor(email)).as(email + "'s alerts").hasSize(1);
        }
        assertThat(functions.load(ana).contact().history().get(2).reason()).isEqualTo(Reason.SCORE_THRESHOLD);
        assertThat(functions.load(ana).contact().history().get(2).policyVersion()).startsWith("score-threshold/");
        assertThat(stage(functions, cy)).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        assertThat(stage(functions, fay)).as("a person's backward move stands").isEqualTo(Stage.LEAD);
        assertThat(stack.alertsFor(cy)).isEmpty();
        assertThat(stack.alertsFor(fay)).isEmpty();
        // bo's events during the run: two sessions (one sent twice), each counted once.
        assertThat(functions.load(bo).contact().signals()).filteredOn(s -> s.type().id().equals("session-started")).hasSize(2);
        assertThat(functions.policy.evaluate(functions.load(bo).contact(), Instant.now()).engagement()).isEqualTo(72);

        // A second run re-evaluates everyone and moves nobody.
        Map<String, Integer> movesBefore = new java.util.HashMap<>();
        for (String email : List.of(ana, bo, cy, dee, fay)) movesBefore.put(email, functions.load(email).contact().history().size());
        Requalify.Run second = Requalify.requalify(stack.dynamoDb, functions.table, 2, 4, Clock.systemUTC(), quiet(), false);
        functions.settle();
        assertThat(second.queued()).isEqualTo(5);
        for (String email : List.of(ana, bo, cy, dee, fay)) {
            assertThat(functions.load(email).contact().history()).as(email).hasSize(movesBefore.get(email));
        }
        for (String email : List.of(ana, bo, dee)) assertThat(stack.alertsFor(email)).as(email).hasSize(1);

        // What a request costs: one write of a small profile.
        System.err.printf("[requalify] %d contacts: scan %.1f RRU, requests %.1f WRU (%.2f WRU a contact)%n",
                second.queued(), second.scanReadUnits(), second.requestWriteUnits(), second.requestWriteUnits() / second.queued());
        assertThat(second.requestWriteUnits()).isEqualTo(5.0);
    }

    /** 65 engagement points and a form's 5: pricing 30, docs 15, two webinars 20. */
    private static List<Tracking.Event> seventyPointsLess5(String email) {
        List<Tracking.Event> events = new ArrayList<>();
        for (String path : List.of("/pricing", "/pricing/teams", "/pricing/enterprise", "/docs/a", "/docs/b", "/docs/c")) {
            events.add(Tracking.pageViewed(email(email), "https://www.example.com" + path));
        }
        events.add(Tracking.webinarAttended(email(email), "w-1"));
        events.add(Tracking.webinarAttended(email(email), "w-2"));
        return events;
    }

    private static Stage stage(PresetStack functions, String email) {
        return functions.load(email).contact().stage();
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
