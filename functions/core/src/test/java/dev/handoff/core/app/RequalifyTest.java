package dev.handoff.core.app;

import static dev.handoff.core.Fixtures.NOW;
import static dev.handoff.core.Fixtures.SCORE_THRESHOLD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.EmailAddress;
import dev.handoff.core.FormType;
import dev.handoff.core.Lifecycle;
import dev.handoff.core.Signal;
import dev.handoff.core.Stage;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** PRODUCT §7's requalify in the core: a new policy applied to contacts that did nothing new. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RequalifyTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ANA = "ana@northwind.example";

    private final InMemoryContactStore store = new InMemoryContactStore();

    /** The score-threshold preset with its SQL bar lowered from 60 to 20 engagement points. */
    static Policy lowerBar() throws Exception {
        String yaml = Files.readString(presetFile())
                .replace("minEngagement: 60", "minEngagement: 20")
                .replace("version: \"score-threshold/2026-11-22\"", "version: \"lower-bar/1\"");
        return PolicyLoader.parse(yaml, "lower-bar.yaml");
    }

    private static Path presetFile() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("policies/score-threshold.yaml");
            if (Files.exists(p)) return p;
        }
        throw new IOException("policies/score-threshold.yaml not found above " + Path.of("").toAbsolutePath());
    }

    /** An MQL (fit 50) with 25 engagement points: SQL under the lower bar, not under the preset. */
    private void mqlWith25Points() {
        store.recordSubmission(new FormSubmission("sub-1", "ebook-download", FormType.CONTENT, EmailAddress.parse(ANA),
                Map.of("jobtitle", "VP Engineering", "numberofemployees", "500"), null, NOW.minus(Duration.ofDays(2))));
        store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(ANA)), new Signal.PageViewed("e-1", NOW.minus(Duration.ofDays(2)), "/pricing"));
        store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(ANA)), new Signal.PageViewed("e-2", NOW.minus(Duration.ofDays(2)), "/pricing"));
        new Qualifier(store, SCORE_THRESHOLD, CLOCK).qualify(ANA);
        assertThat(stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
    }

    private Stage stage() {
        return store.load(ANA).orElseThrow().contact().stage();
    }

    @Test
    void a_contact_the_new_policy_qualifies_moves_once_with_one_alert_and_a_second_run_moves_nobody() throws Exception {
        mqlWith25Points();
        Qualifier requalify = new Qualifier(store, lowerBar(), CLOCK);

        var first = requalify.requalify(ANA);
        var second = requalify.requalify(ANA);

        assertThat(first).isInstanceOf(Qualifier.Outcome.Moved.class);
        var moved = (Qualifier.Outcome.Moved) first;
        assertThat(moved.alert().reasonCode()).isEqualTo("score-threshold");
        assertThat(moved.alert().policyVersion()).isEqualTo("lower-bar/1");
        assertThat(second).isInstanceOf(Qualifier.Outcome.Unchanged.class);
        assertThat(stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
    }

    @Test
    void a_contact_a_person_moved_back_stays_there_until_a_new_signal_arrives() throws Exception {
        mqlWith25Points();
        new SalesDesk(store, SCORE_THRESHOLD, Clock.fixed(NOW.minusSeconds(60), ZoneOffset.UTC))
                .moveStage(EmailAddress.parse(ANA), Stage.LEAD, true, "not ready yet", "sam");
        Qualifier requalify = new Qualifier(store, lowerBar(), CLOCK);

        var stored = store.load(ANA).orElseThrow();
        assertThat(Lifecycle.heldBackByPerson(stored.contact(), stored.tallyUnder(SCORE_THRESHOLD))).isTrue();
        assertThat(requalify.requalify(ANA)).isInstanceOf(Qualifier.Outcome.Unchanged.class);
        assertThat(stage()).isEqualTo(Stage.LEAD);

        store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(ANA)), new Signal.SessionStarted("e-3", NOW.minusSeconds(30)));
        assertThat(requalify.requalify(ANA)).isInstanceOf(Qualifier.Outcome.Moved.class);
        assertThat(stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
    }

    @Test
    void a_new_signal_qualifies_as_always_even_right_after_a_persons_backward_move() throws Exception {
        mqlWith25Points();
        new SalesDesk(store, SCORE_THRESHOLD, Clock.fixed(NOW.minusSeconds(60), ZoneOffset.UTC))
                .moveStage(EmailAddress.parse(ANA), Stage.LEAD, true, "not ready yet", "sam");

        // The stream's trigger for a new signal: qualify, not requalify. The signal arrived after the move.
        store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(ANA)), new Signal.SessionStarted("e-3", NOW.minusSeconds(30)));
        assertThat(new Qualifier(store, SCORE_THRESHOLD, CLOCK).qualify(ANA)).isInstanceOf(Qualifier.Outcome.Moved.class);
        assertThat(stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
    }
}
