package dev.handoff.core;

import static dev.handoff.core.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.AfterFailureMode;

/** Invariants of the engine over random contacts (PRODUCT §1 and §5). */
class DecisionPropertiesTest {

    private static final Set<SignalType> SALES_FACTS =
            Set.of(SignalType.MEETING_BOOKED, SignalType.SALES_ACCEPTED, SignalType.SALES_ACTIVITY_LOGGED);

    @Provide
    Arbitrary<Contact> contacts() {
        return ContactArbitraries.contacts();
    }

    @Provide
    Arbitrary<Policy> presets() {
        return ContactArbitraries.presets();
    }

    @Provide
    Arbitrary<Function<String, Signal>> signalMakers() {
        return ContactArbitraries.signalMakers();
    }

    @Property(tries = 300, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void scores_stay_within_0_and_100(@ForAll("contacts") Contact contact, @ForAll("presets") Policy policy) {
        Decision d = policy.evaluate(contact, NOW);
        assertThat(d.fit()).isBetween(0, 100);
        assertThat(d.engagement()).isBetween(0, 100);
    }

    @Property(tries = 300, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void fit_lines_add_up_to_fit_and_engagement_lines_to_engagement(
            @ForAll("contacts") Contact contact, @ForAll("presets") Policy policy) {
        Decision d = policy.evaluate(contact, NOW);
        assertThat(Fixtures.sum(d.fitBreakdown())).isEqualTo(d.fit());
        assertThat(Fixtures.sum(d.engagementBreakdown())).isEqualTo(d.engagement());
        assertThat(d.fitBreakdown()).allMatch(c -> c.kind() == Contribution.Kind.FIT);
        assertThat(d.engagementBreakdown()).allMatch(c -> c.kind() == Contribution.Kind.ENGAGEMENT);
        assertThat(d.fitBreakdown().stream().filter(Contribution::isClamp).count()).isLessThanOrEqualTo(1);
        assertThat(d.engagementBreakdown().stream().filter(Contribution::isClamp).count()).isLessThanOrEqualTo(1);
        // no capped rule gives more than its cap, and a rule that counted says how many signals matched
        for (Contribution c : d.engagementBreakdown()) {
            if (c.isClamp()) continue;
            assertThat(c.matched()).isPositive();
            if (c.cap() != null) assertThat(Math.abs(c.points())).isLessThanOrEqualTo(c.cap());
            assertThat(c.windowDays()).isEqualTo(policy.engagementWindowDays());
        }
    }

    @Property(tries = 200, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void the_decision_does_not_depend_on_the_order_signals_arrived_in(
            @ForAll("contacts") Contact contact, @ForAll("presets") Policy policy, @ForAll Random random) {
        List<Signal> shuffled = new ArrayList<>(contact.signals());
        Collections.shuffle(shuffled, random);
        Contact reordered = new Contact(contact.email(), contact.properties(), contact.visitorIds(), shuffled,
                contact.stage(), contact.history());
        assertThat(policy.evaluate(reordered, NOW)).isEqualTo(policy.evaluate(contact, NOW));
    }

    @Property(tries = 300, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void a_signal_older_than_the_window_never_changes_a_score(
            @ForAll("contacts") Contact contact, @ForAll("presets") Policy policy,
            @ForAll("signalMakers") Function<String, Signal> make, @ForAll @IntRange(min = 1, max = 400 * 86_400) int secondsPastWindow) {
        Signal template = make.apply("old-one");
        Instant old = NOW.minus(Duration.ofDays(policy.engagementWindowDays())).minusSeconds(secondsPastWindow);
        Signal oldSignal = at(template, old);
        Decision before = policy.evaluate(contact, NOW);
        Decision after = policy.evaluate(contact.withSignal(oldSignal), NOW);
        assertThat(after.fit()).isEqualTo(before.fit());
        assertThat(after.engagement()).isEqualTo(before.engagement());
        assertThat(after.engagementBreakdown()).isEqualTo(before.engagementBreakdown());
        if (!SALES_FACTS.contains(oldSignal.type())) {
            // Outside the window a marketing signal changes nothing at all, the stage included.
            assertThat(after).isEqualTo(before);
        }
    }

    @Property(tries = 300, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void the_same_signal_counted_twice_changes_nothing(
            @ForAll("contacts") Contact contact, @ForAll("presets") Policy policy,
            @ForAll @IntRange(min = 0, max = 10_000) int pick, @ForAll("signalMakers") Function<String, Signal> other) {
        Decision before = policy.evaluate(contact, NOW);
        if (contact.signals().isEmpty()) return;
        Signal again = contact.signals().get(pick % contact.signals().size());
        Contact twice = contact.withSignal(again);
        assertThat(twice.signals()).hasSameSizeAs(contact.signals());
        assertThat(policy.evaluate(twice, NOW)).isEqualTo(before);
        // a redelivery is recognised by its id alone, whatever else it carries
        Contact sameId = contact.withSignal(other.apply(again.id()));
        assertThat(policy.evaluate(sameId, NOW)).isEqualTo(before);
    }

    @Property(tries = 200, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void automatic_moves_never_go_backward(
            @ForAll("contacts") Contact contact, @ForAll("presets") Policy policy, @ForAll Random random) {
        // Feed the contact's signals in a few batches, later and later, and apply every automatic move.
        List<Signal> all = new ArrayList<>(contact.signals());
        all.sort(java.util.Comparator.comparing(Signal::occurredAt));
        Contact c = new Contact(contact.email(), contact.properties(), Set.of(), List.of(), contact.stage(), contact.history());
        int batches = 1 + random.nextInt(5);
        int from = 0;
        for (int b = 1; b <= batches; b++) {
            int to = b == batches ? all.size() : from + random.nextInt(all.size() - from + 1);
            c = c.withSignals(all.subList(from, to));
            from = to;
            Instant now = to == 0 ? NOW.minus(Duration.ofDays(200)) : all.get(to - 1).occurredAt().plusSeconds(1);
            Decision d = policy.evaluate(c, now);
            for (StageMove m : Lifecycle.automaticMoves(c, d, now)) {
                assertThat(m.isBackward()).as("backward move %s", m).isFalse();
                assertThat(m.from()).isEqualTo(c.stage());
                assertThat(m.from()).isNotEqualTo(Stage.OTHER);
                assertThat(m.actor()).isEqualTo(StageMove.POLICY_ACTOR);
                assertThat(m.policyVersion()).isEqualTo(policy.version());
                if (m.from() != null) assertThat(m.to().isAfter(m.from())).isTrue();
                c = c.withMove(m);
            }
        }
    }

    @Property(tries = 300, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void no_knocked_out_contact_qualifies_and_every_mql_has_the_fit(
            @ForAll("contacts") Contact contact, @ForAll("presets") Policy policy) {
        Decision d = policy.evaluate(contact, NOW);
        if (d.knockedOut()) assertThat(d.qualified()).isEmpty();
        d.qualified().filter(q -> q.stage() == Stage.MARKETING_QUALIFIED_LEAD)
                .ifPresent(q -> assertThat(d.fit()).isGreaterThanOrEqualTo(policy.mqlMinFit()));
        d.qualified().ifPresent(q -> assertThat(q.stage()).isIn(Stage.MARKETING_QUALIFIED_LEAD, Stage.SALES_QUALIFIED_LEAD));
    }

    @Property(tries = 300, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void a_person_is_never_moved_backward_without_force(
            @ForAll("contacts") Contact contact, @ForAll Stage target) {
        Lifecycle.PersonMove m = Lifecycle.personMove(contact, target, false, Reason.MANUAL, "sam", null, NOW, "v");
        switch (m) {
            case Lifecycle.PersonMove.Moved moved -> assertThat(moved.move().isBackward()).isFalse();
            case Lifecycle.PersonMove.Refused refused -> assertThat(target.isBefore(contact.stage())).isTrue();
            case Lifecycle.PersonMove.Unchanged unchanged -> assertThat(contact.stage()).isEqualTo(target);
        }
    }

    private static Signal at(Signal s, Instant t) {
        return switch (s) {
            case Signal.PageViewed p -> new Signal.PageViewed(p.id(), t, p.path());
            case Signal.SessionStarted x -> new Signal.SessionStarted(x.id(), t);
            case Signal.EmailOpened x -> new Signal.EmailOpened(x.id(), t, x.campaignId());
            case Signal.EmailClicked x -> new Signal.EmailClicked(x.id(), t, x.campaignId(), x.link());
            case Signal.ContentDownloaded x -> new Signal.ContentDownloaded(x.id(), t, x.assetId(), x.assetType(), x.gated());
            case Signal.WebinarAttended x -> new Signal.WebinarAttended(x.id(), t, x.webinarId());
            case Signal.MeetingBooked x -> new Signal.MeetingBooked(x.id(), t, x.owner(), x.startsAt());
            case Signal.SalesActivityLogged x -> new Signal.SalesActivityLogged(x.id(), t, x.activityType(), x.owner());
            case Signal.SalesAccepted x -> new Signal.SalesAccepted(x.id(), t, x.owner());
            case Signal.FormSubmitted x -> new Signal.FormSubmitted(x.id(), t, x.formId(), x.formType());
        };
    }
}
