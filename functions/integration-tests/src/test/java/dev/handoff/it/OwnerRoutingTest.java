package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * PRODUCT §5.2 and §3 end to end: the score-threshold preset with a routing section, on its own table. SQLs that
 * no signal gave an owner rotate through the pool; the owner shows in the alert JSON, the SNS attribute, the
 * deal and the contact view; {@code PUT /owners/{id}} takes an owner out of the rotation.
 */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OwnerRoutingTest {

    static final String ROUTING = """

            routing:
              pools:
                - id: enterprise
                  when: {property: numberofemployees, atLeast: 1000}
                  owners: [{id: ana, hubspotOwnerId: "1234", weight: 2}, {id: bo}]
                - id: everyone-else
                  owners: [{id: cy}, {id: dee}]
            """;

    /** A fresh function set (own table, so its own rotation) with the score-threshold preset plus {@link #ROUTING}. */
    static PresetStack routed(Stack stack, TestInfo test) {
        try (InputStream in = OwnerRoutingTest.class.getClassLoader().getResourceAsStream("policies/score-threshold.yaml")) {
            String preset = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Path file = Files.createTempFile("routed-policy", ".yaml");
            Files.writeString(file, preset + ROUTING);
            file.toFile().deleteOnExit();
            return PresetStack.withPolicyFile(stack, "routed-" + test.getTestMethod().orElseThrow().getName().hashCode(), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A demo request from an ICP-fit contact: fast-tracked to SQL, no owner named by a signal. */
    static void demoRequest(PresetStack routed, String email, int employees) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("email", email);
        form.put("firstname", "Ana");
        form.put("jobtitle", "VP Engineering");
        form.put("numberofemployees", Integer.toString(employees));
        form.put("budget", "60000");
        assertThat(routed.forms.apply(Forms.urlEncoded("demo-request", form)).getStatusCode()).isEqualTo(202);
    }

    static List<String> ownersOf(Stack stack, List<String> emails) {
        List<String> owners = new ArrayList<>();
        for (String email : emails) {
            List<Stack.Published> alerts = stack.alertsFor(email);
            assertThat(alerts).hasSize(1);
            owners.add(alerts.get(0).attribute("owner"));
        }
        return owners;
    }

    @Test
    void SQLs_without_a_signal_named_owner_take_turns_in_their_pool_and_the_owner_shows_everywhere(Stack stack, TestInfo test) {
        PresetStack routed = routed(stack, test);
        List<String> small = List.of(Stack.email("route-s1"), Stack.email("route-s2"), Stack.email("route-s3"));
        List<String> big = List.of(Stack.email("route-b1"), Stack.email("route-b2"), Stack.email("route-b3"));
        for (int i = 0; i < 3; i++) {
            demoRequest(routed, small.get(i), 500);
            routed.settle();
            demoRequest(routed, big.get(i), 5000);
            routed.settle();
        }

        assertThat(ownersOf(stack, small)).containsExactly("cy", "dee", "cy");
        assertThat(ownersOf(stack, big)).containsExactly("ana", "bo", "ana");

        String email = small.get(1);
        JsonNode alert = stack.alertsFor(email).get(0).message();
        assertThat(alert.path("owner").asText()).isEqualTo("dee");
        List<Map<String, AttributeValue>> deals = dealsIn(stack, routed, email);
        assertThat(deals).hasSize(1);
        assertThat(deals.get(0).get("owner").s()).isEqualTo("dee");
        SalesApi.Answer view = routed.sales.get(email);
        assertThat(view.json().path("owner").asText()).isEqualTo("dee");
        assertThat(view.json().path("deals").get(0).path("owner").asText()).isEqualTo("dee");

        SalesApi.Answer owners = routed.sales.send("GET /owners", "GET", "/owners", null, null, null, Map.of());
        assertThat(owners.status()).isEqualTo(200);
        assertThat(owners.json()).isEqualTo(QueueLog.json("""
                {"owners": [
                  {"id": "ana", "pool": "enterprise", "weight": 2, "available": true, "assigned": 2},
                  {"id": "bo", "pool": "enterprise", "weight": 1, "available": true, "assigned": 1},
                  {"id": "cy", "pool": "everyone-else", "weight": 1, "available": true, "assigned": 2},
                  {"id": "dee", "pool": "everyone-else", "weight": 1, "available": true, "assigned": 1}]}
                """));
    }

    @Test
    void an_owner_taken_out_of_rotation_gets_no_SQL_until_put_back_and_a_pool_with_nobody_available_gives_none(
            Stack stack, TestInfo test) {
        PresetStack routed = routed(stack, test);
        SalesApi.Answer out = setAvailable(routed, "cy", false);
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.json()).isEqualTo(QueueLog.json("""
                {"owners": [{"id": "cy", "pool": "everyone-else", "weight": 1, "available": false, "assigned": 0}]}"""));

        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            emails.add(Stack.email("avail-" + i));
            demoRequest(routed, emails.get(i), 500);
            routed.settle();
        }
        assertThat(ownersOf(stack, emails)).containsExactly("dee", "dee");

        setAvailable(routed, "dee", false);
        String nobody = Stack.email("avail-none");
        demoRequest(routed, nobody, 500);
        routed.settle();
        Stack.Published alert = stack.alertsFor(nobody).get(0);
        assertThat(alert.attribute("owner")).isNull();
        assertThat(alert.message().has("owner")).isTrue();
        assertThat(alert.message().path("owner").isNull()).isTrue();
        assertThat(routed.sales.get(nobody).json().has("owner")).isFalse();

        setAvailable(routed, "cy", true);
        String back = Stack.email("avail-back");
        demoRequest(routed, back, 500);
        routed.settle();
        assertThat(ownersOf(stack, List.of(back))).containsExactly("cy");
    }

    @Test
    void an_owner_named_by_a_signal_wins_over_routing_and_takes_no_turn(Stack stack, TestInfo test) {
        PresetStack routed = routed(stack, test);
        String email = Stack.email("route-named");
        assertThat(routed.sales.activity(email, "{\"type\": \"call\", \"actor\": \"sam\"}").status()).isEqualTo(202);
        routed.settle();
        demoRequest(routed, email, 500);
        routed.settle();
        assertThat(ownersOf(stack, List.of(email))).containsExactly("sam");
        assertThat(routed.sales.get(email).json().path("owner").asText()).isEqualTo("sam");

        String next = Stack.email("route-after-named");
        demoRequest(routed, next, 500);
        routed.settle();
        assertThat(ownersOf(stack, List.of(next))).containsExactly("cy");
    }

    @Test
    void the_owners_routes_refuse_what_they_cannot_do(Stack stack, TestInfo test) {
        PresetStack routed = routed(stack, test);
        assertThat(setAvailable(routed, "zed", false).status()).isEqualTo(404);
        SalesApi.Answer bad = routed.sales.send("PUT /owners/{id}", "PUT", "/owners/cy", Map.of("id", "cy"),
                "application/json", "{\"available\": \"no\"}", Map.of());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorFields()).containsExactly("available");
        SalesApi.Answer none = SalesApi.of(stack).send("GET /owners", "GET", "/owners", null, null, null, Map.of());
        assertThat(none.json()).isEqualTo(QueueLog.json("{\"owners\": []}"));
    }

    static SalesApi.Answer setAvailable(PresetStack routed, String owner, boolean available) {
        return routed.sales.send("PUT /owners/{id}", "PUT", "/owners/" + owner, Map.of("id", owner), "application/json",
                "{\"available\": " + available + "}", Map.of());
    }

    static List<Map<String, AttributeValue>> dealsIn(Stack stack, PresetStack routed, String email) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        stack.dynamoDb.queryPaginator(r -> r.tableName(routed.table).consistentRead(true)
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :deal)")
                        .expressionAttributeNames(Map.of("#pk", "pk", "#sk", "sk"))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("C#" + email), ":deal", AttributeValue.fromS("DEAL#"))))
                .items().forEach(out::add);
        return out;
    }
}
