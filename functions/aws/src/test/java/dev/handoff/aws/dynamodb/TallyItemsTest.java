package dev.handoff.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.aws.ContactTable;
import dev.handoff.aws.TallyItems;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalTally;
import dev.handoff.core.policy.InvalidPolicyException;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TallyItemsTest {
    private static final Instant NOW = Signals.T0;

    @Test
    void every_kind_of_signal_and_every_day_read_back_as_the_same_tally_and_ids() throws InvalidPolicyException {
        Policy policy = PolicyLoader.preset("score-threshold");
        List<Signal> signals = new ArrayList<>(Signals.everyKind("a-", NOW));
        for (int day = 0; day < 90; day += 3) signals.addAll(Signals.everyKind("d" + day + "-", NOW.minusSeconds(86_400L * day)));
        TallyItems.Stored stored = TallyItems.fromSignals(signals, policy::categoryOf, SignalTally.dayOf(NOW) - 90);

        Map<String, AttributeValue> item = TallyItems.toItem(ContactTable.contactKey("ana@acme.com"), ContactTable.CONTACT_TALLY, stored);
        TallyItems.Stored back = TallyItems.fromItem(item);

        assertThat(back.tally()).isEqualTo(policy.tallyOf(signals));
        assertThat(back.version()).isEqualTo(1);
        Signal latest = signals.stream().max(java.util.Comparator.comparing(Signal::occurredAt)).orElseThrow();
        assertThat(back.seen(latest.id())).as("the latest ids are remembered").isTrue();
        assertThat(back.seen("never-recorded")).isFalse();
    }

    @Test
    void a_busy_90_days_fits_in_one_write_unit() throws InvalidPolicyException {
        Policy policy = PolicyLoader.preset("score-threshold");
        List<Signal> signals = new ArrayList<>();
        for (int day = 0; day <= 90; day++) {
            Instant at = NOW.minusSeconds(86_400L * day);
            for (int i = 0; i < 20; i++) {
                signals.add(new Signal.PageViewed("p" + day + "-" + i, at, List.of("/pricing", "/docs", "/blog").get(i % 3)));
                signals.add(new Signal.SessionStarted("s" + day + "-" + i, at));
            }
        }
        TallyItems.Stored stored = TallyItems.fromSignals(signals, policy::categoryOf, SignalTally.dayOf(NOW) - 90);

        int bytes = ItemSize.of(TallyItems.toItem(ContactTable.contactKey("ana@acme.com"), ContactTable.CONTACT_TALLY, stored));

        assertThat(bytes).as("%d signals in the window", signals.size()).isLessThan(1024);
    }

    @Test
    void a_contact_active_in_five_ways_every_day_of_the_window_still_fits_in_one_write_unit() throws InvalidPolicyException {
        // As scripts/cost.sh seeds it: a form, then pricing, docs and other pages, sessions and email clicks daily.
        Policy policy = PolicyLoader.preset("score-threshold");
        List<Signal> signals = new ArrayList<>();
        signals.add(new Signal.FormSubmitted("form-cost-5000@example.org", NOW.minusSeconds(86_400L * 90), "ebook-download",
                dev.handoff.core.FormType.CONTENT));
        for (int day = 0; day <= 90; day++) {
            Instant at = NOW.minusSeconds(86_400L * day);
            for (int i = 0; i < 11; i++) {
                String id = "seed-cost-5000@example.org-" + day + "-" + i;
                signals.add(switch (i % 5) {
                    case 0 -> new Signal.PageViewed(id, at, "/pricing");
                    case 1 -> new Signal.PageViewed(id, at, "/docs/start");
                    case 2 -> new Signal.PageViewed(id, at, "/blog/post");
                    case 3 -> new Signal.SessionStarted(id, at);
                    default -> new Signal.EmailClicked(id, at, "c-1", "https://example.org/x");
                });
            }
        }
        TallyItems.Stored stored = TallyItems.fromSignals(signals, policy::categoryOf, SignalTally.dayOf(NOW) - 90);

        int bytes = ItemSize.of(TallyItems.toItem(ContactTable.contactKey("cost-5000@example.org"), ContactTable.CONTACT_TALLY, stored));

        assertThat(bytes).isLessThanOrEqualTo(1024);
    }
}
