package dev.handoff.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Stage;
import dev.handoff.core.app.AlertDispatcher;
import dev.handoff.core.app.InMemoryContactStore;
import dev.handoff.core.app.SqlAlert;
import dev.handoff.core.policy.Routing;
import dev.handoff.core.policy.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Owner routing as the alert dispatcher uses it (PRODUCT §5.2), over an in-memory rotation store. */
class OwnerRoutingTest {
    static final Routing ROUTING = new Routing(List.of(
            new Routing.Pool("enterprise", new Condition.NumberRange("numberofemployees", 1000.0, null, null),
                    List.of(new Routing.Owner("ana", "1234", 2), new Routing.Owner("bo", null, 1))),
            new Routing.Pool("everyone-else", null, List.of(new Routing.Owner("cy", null, 1), new Routing.Owner("dee", null, 1)))));

    /** The store's contract in memory: one rotation per pool, availability per owner, one assignment per alert. */
    static class InMemoryRotations implements RotationStore {
        final Map<String, Rotation> rotations = new HashMap<>();
        final Map<String, Assignment> assignments = new HashMap<>();
        final Set<String> unavailable = new HashSet<>();
        int turns;

        @Override
        public synchronized Optional<Assignment> recorded(String email, String alertId) {
            return Optional.ofNullable(assignments.get(alertId));
        }

        @Override
        public synchronized Assignment assign(String email, String alertId, Routing.Pool pool) {
            if (assignments.containsKey(alertId)) return assignments.get(alertId);
            String owner = null;
            if (pool != null) {
                List<Rotation.Candidate> available = new ArrayList<>();
                for (Routing.Owner o : pool.owners()) if (!unavailable.contains(o.id())) available.add(new Rotation.Candidate(o.id(), o.weight()));
                Rotation.Turn turn = rotations.getOrDefault(pool.id(), Rotation.START).next(available);
                if (turn != null) {
                    owner = turn.owner();
                    rotations.put(pool.id(), turn.next());
                    turns++;
                }
            }
            Assignment a = new Assignment(pool == null ? null : pool.id(), owner);
            assignments.put(alertId, a);
            return a;
        }
    }

    final InMemoryContactStore contacts = new InMemoryContactStore();
    final InMemoryRotations rotations = new InMemoryRotations();
    final OwnerRouting routing = new OwnerRouting(ROUTING, contacts, rotations);

    static SqlAlert alert(String id, String email, String owner) {
        return new SqlAlert(id, Instant.parse("2026-11-28T10:00:00Z"), "v1",
                new SqlAlert.ContactCard(email, null, null, null, null), Stage.MARKETING_QUALIFIED_LEAD,
                Stage.SALES_QUALIFIED_LEAD, "score-threshold", "", 50, 60, List.of(), owner, null);
    }

    @Test
    void sqls_of_the_default_pool_alternate_between_its_owners() {
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < 4; i++) owners.add(routing.ownerFor(alert("a" + i, "p" + i + "@x.com", null)).orElse(null));
        assertThat(owners).containsExactly("cy", "dee", "cy", "dee");
    }

    @Test
    void a_large_company_goes_to_the_enterprise_pool_by_its_weights() {
        contacts.recordProperties("big@corp.com", Map.of("numberofemployees", "5000"));
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < 3; i++) owners.add(routing.ownerFor(alert("e" + i, "big@corp.com", null)).orElse(null));
        assertThat(owners).containsExactly("ana", "bo", "ana");
    }

    @Test
    void an_owner_made_unavailable_gets_no_sql_until_made_available_again() {
        rotations.unavailable.add("cy");
        assertThat(routing.ownerFor(alert("a1", "p1@x.com", null))).contains("dee");
        assertThat(routing.ownerFor(alert("a2", "p2@x.com", null))).contains("dee");
        rotations.unavailable.remove("cy");
        assertThat(routing.ownerFor(alert("a3", "p3@x.com", null))).contains("cy");
    }

    @Test
    void a_pool_without_an_available_owner_leaves_the_sql_without_an_owner() {
        rotations.unavailable.addAll(Set.of("cy", "dee"));
        assertThat(routing.ownerFor(alert("a1", "p1@x.com", null))).isEmpty();
        assertThat(rotations.assignments.get("a1")).isEqualTo(new RotationStore.Assignment("everyone-else", null));
    }

    @Test
    void a_retried_alert_keeps_its_owner_and_takes_no_second_turn() {
        SqlAlert a = alert("a1", "p1@x.com", null);
        assertThat(routing.ownerFor(a)).contains("cy");
        assertThat(routing.ownerFor(a)).contains("cy");
        assertThat(rotations.turns).isEqualTo(1);
    }

    @Test
    void an_owner_named_by_a_signal_wins_over_routing_and_takes_no_turn() {
        List<String> sent = new ArrayList<>();
        AlertDispatcher dispatcher = new AlertDispatcher(new AlertDispatcher.AlertLedger() {
            public Optional<AlertDispatcher.Progress> progress(String email, String alertId) {
                return Optional.of(new AlertDispatcher.Progress(null, false, false));
            }
            public String createDeal(SqlAlert alert) {
                return "d-" + alert.alertId();
            }
            public void markEventPut(String email, String alertId) {}
            public void markPublished(String email, String alertId, String messageId) {}
        }, alert -> {
            sent.add(alert.alertId() + ":" + alert.owner());
            return "m";
        }, (alert, dealId) -> {}, routing);
        dispatcher.dispatch(alert("a1", "p1@x.com", "sam"));
        dispatcher.dispatch(alert("a2", "p2@x.com", null));
        assertThat(sent).containsExactly("a1:sam", "a2:cy");
        assertThat(rotations.turns).isEqualTo(1);
    }

    @Test
    void without_routing_nothing_is_read_and_no_owner_is_given() {
        OwnerRouting none = new OwnerRouting(Routing.NONE, contacts, new InMemoryRotations() {
            @Override
            public synchronized Optional<Assignment> recorded(String email, String alertId) {
                throw new AssertionError("not to be called");
            }
        });
        assertThat(none.ownerFor(alert("a1", "p1@x.com", null))).isEmpty();
    }
}
