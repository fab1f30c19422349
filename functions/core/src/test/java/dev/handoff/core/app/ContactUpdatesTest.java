package dev.handoff.core.app;

import static dev.handoff.core.Fixtures.NOW;
import static dev.handoff.core.Fixtures.SCORE_THRESHOLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.core.EmailAddress;
import dev.handoff.core.Decision;
import dev.handoff.core.FormType;
import dev.handoff.core.Reason;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The one load → decide → conditional write → retry loop, and the alert it records with a move into SQL. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ContactUpdatesTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ANA = "ana@northwind.example";

    private final InMemoryContactStore store = new InMemoryContactStore();
    private final AtomicInteger ids = new AtomicInteger();
    private final ContactUpdates updates = new ContactUpdates(store, CLOCK, () -> "alert-" + ids.incrementAndGet());

    private void lead() {
        store.recordSubmission(new FormSubmission("sub-1", "ebook-download", FormType.CONTENT, EmailAddress.parse(ANA),
                Map.of("firstname", "Ana", "budget", "25,000"), null, NOW.minusSeconds(60)));
        store.recordMoves(ANA, 1, List.of(move(null, Stage.LEAD)), null);
    }

    private static StageMove move(Stage from, Stage to) {
        return new StageMove(from, to, NOW, Reason.MANUAL, "sam", "v1", "called her");
    }

    /** A person's move to {@code to}, decided on whatever is stored at that attempt. */
    private ContactUpdates.Change<String> moveTo(Stage to, AtomicInteger decisions) {
        return (stored, now) -> {
            decisions.incrementAndGet();
            var contact = stored.orElseThrow().contact();
            if (contact.stage() == to) return new ContactUpdates.Step.Done<>("unchanged");
            Decision decision = SCORE_THRESHOLD.evaluate(contact, now);
            return new ContactUpdates.Step.Move<>(stored.get(), List.of(move(contact.stage(), to)), decision,
                    alert -> alert == null ? "moved" : alert.alertId());
        };
    }

    @Test
    void a_move_into_SQL_is_recorded_with_one_alert_whose_id_comes_from_the_id_source() {
        lead();
        String result = updates.update(ANA, moveTo(Stage.SALES_QUALIFIED_LEAD, new AtomicInteger()));

        assertThat(result).isEqualTo("alert-1");
        assertThat(store.alertsRecorded).singleElement().satisfies(alert -> {
            assertThat(alert.alertId()).isEqualTo("alert-1");
            assertThat(alert.from()).isEqualTo(Stage.LEAD);
            assertThat(alert.reasonCode()).isEqualTo("manual");
            assertThat(alert.reasonDetail()).isEqualTo("called her");
            assertThat(alert.contact().firstname()).isEqualTo("Ana");
            assertThat(alert.dealAmount()).isEqualTo(25_000L);
        });
    }

    @Test
    void a_move_that_does_not_enter_SQL_records_no_alert() {
        lead();
        assertThat(updates.update(ANA, moveTo(Stage.MARKETING_QUALIFIED_LEAD, new AtomicInteger()))).isEqualTo("moved");
        assertThat(store.alertsRecorded).isEmpty();
        assertThat(ids).hasValue(0);
    }

    @Test
    void when_the_contact_changes_under_the_write_the_change_is_decided_again_on_what_is_stored_now() {
        lead();
        // Someone else moves her to SQL just before our write: our decision is stale, the next one finds nothing to do.
        store.changeBeforeNextMove(() -> store.recordMoves(ANA, 2, List.of(move(Stage.LEAD, Stage.SALES_QUALIFIED_LEAD)), null));
        AtomicInteger decisions = new AtomicInteger();

        assertThat(updates.update(ANA, moveTo(Stage.SALES_QUALIFIED_LEAD, decisions))).isEqualTo("unchanged");
        assertThat(decisions).hasValue(2);
        assertThat(store.movesRecorded).extracting(StageMove::to).containsExactly(Stage.LEAD, Stage.SALES_QUALIFIED_LEAD);
        assertThat(store.alertsRecorded).as("the stale decision's alert was never recorded").isEmpty();
    }

    @Test
    void a_contact_that_keeps_changing_under_every_attempt_fails_with_nothing_recorded() {
        lead();
        AtomicInteger decisions = new AtomicInteger();
        ContactUpdates.Change<String> change = (stored, now) -> {
            decisions.incrementAndGet();
            // Another writer bumps the version before each of our writes.
            store.changeBeforeNextMove(() -> store.recordProperties(ANA, Map.of("company", "Northwind " + decisions.get())));
            return moveTo(Stage.SALES_QUALIFIED_LEAD, new AtomicInteger()).decide(stored, now);
        };

        assertThatThrownBy(() -> updates.update(ANA, change))
                .isInstanceOf(ContactUpdates.ContactKeptChangingException.class)
                .hasMessageContaining(ContactUpdates.MAX_ATTEMPTS + " attempts");
        assertThat(decisions).hasValue(ContactUpdates.MAX_ATTEMPTS);
        assertThat(store.movesRecorded).extracting(StageMove::to).containsExactly(Stage.LEAD);
        assertThat(store.alertsRecorded).isEmpty();
    }

    @Test
    void a_change_that_decides_nothing_writes_nothing() {
        lead();
        int writes = store.writeCount();
        ContactUpdates.Change<Boolean> nothing = (stored, now) -> new ContactUpdates.Step.Done<>(stored.isPresent());
        assertThat(updates.update(ANA, nothing)).isTrue();
        assertThat(store.writeCount()).isEqualTo(writes);
    }
}
