package dev.handoff.it;

import static dev.handoff.it.Tracking.visitor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Signal;
import dev.handoff.core.SignalType;
import dev.handoff.core.Stage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code DELETE /contacts/{email}}: everything held about the person goes, and does not come back by itself. */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SalesErasureTest {

    @Test
    void DELETE_erases_contact_signals_visitor_links_and_events_alert_and_deal_so_GET_is_404_and_a_scan_finds_nothing(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = Stack.email("erase");
        String visitorId = Stack.visitorId("erase");
        String bystander = Stack.email("bystander");
        var who = visitor(visitorId);

        // Anonymous visits, then a demo request carrying the cookie: fast-tracked, alerted, a deal made.
        stack.enqueue(Tracking.pageViewed(who, "https://northwind.example/pricing"),
                Tracking.sessionStarted(who));
        stack.settle();
        Map<String, String> form = new LinkedHashMap<>(SalesApiTest.icp());
        form.put("visitorId", visitorId);
        SalesApiTest.throughForm(stack, "demo-request", email, form);
        api.activity(email, "{\"type\": \"call\", \"actor\": \"sam\"}");
        SalesApiTest.throughForm(stack, "newsletter", bystander, Map.of());
        stack.settle();
        assertThat(stack.load(email).contact().stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
        assertThat(stack.items(email, "DEAL#")).hasSize(1);
        assertThat(SalesApi.scanFor(stack, Stack.TABLE, email, visitorId)).hasSizeGreaterThan(5);

        SalesApi.Answer erased = api.delete(email);
        stack.settle();

        assertThat(erased.status()).isEqualTo(204);
        assertThat(erased.response().getBody()).isNullOrEmpty();
        assertThat(api.get(email).status()).isEqualTo(404);
        assertThat(SalesApi.scanFor(stack, Stack.TABLE, email, visitorId)).isEmpty();
        assertThat(api.delete(email).status()).isEqualTo(404);
        assertThat(api.get(bystander).status()).isEqualTo(200);

        // The visitor comes back: its events stay anonymous, nobody is brought back without a new form.
        stack.enqueue(Tracking.pageViewed(who, "https://northwind.example/pricing/teams"));
        stack.settle();
        assertThat(stack.exists(email)).isFalse();
        assertThat(stack.contacts.emailOfVisitor(visitorId)).isEmpty();
        assertThat(SalesApi.scanFor(stack, Stack.TABLE, email)).isEmpty();

        // Until someone identifies again through a form with that cookie.
        String again = Stack.email("erase-again");
        SalesApiTest.throughForm(stack, "ebook-download", again, Map.of("visitorId", visitorId));
        assertThat(stack.load(again).tally().total(SignalType.PAGE_VIEWED)).isEqualTo(1);
    }

    @Test
    void DELETE_of_an_email_nobody_has_is_404(Stack stack) {
        SalesApi.Answer answer = SalesApi.of(stack).delete(Stack.email("never"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.errorFields()).containsExactly("email");
    }
}
