package dev.handoff.functions.sales;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.functions.sales.ApiGatewaySalesApiHandler.Route;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Which route a request is, by the HTTP API's route key or, without one, by method and path; and the email's decoding. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RoutingTest {

    @Test
    void the_route_keys_of_the_HTTP_API_name_the_routes() {
        assertThat(Route.values()).extracting(Route::routeKey).containsExactly(
                "GET /contacts/{email}", "PUT /contacts/{email}/stage", "POST /contacts/{email}/sales-acceptance",
                "POST /contacts/{email}/activities", "POST /imports", "DELETE /contacts/{email}", "GET /owners", "PUT /owners/{id}");
        for (Route r : Route.values()) {
            assertThat(ApiGatewaySalesApiHandler.route(r.routeKey(), "IGNORED", "/ignored")).isEqualTo(r);
        }
    }

    @Test
    void without_a_route_key_method_and_path_decide() {
        assertThat(ApiGatewaySalesApiHandler.route("$default", "GET", "/contacts/ana%40acme.com")).isEqualTo(Route.VIEW);
        assertThat(ApiGatewaySalesApiHandler.route(null, "DELETE", "/contacts/ana%40acme.com/")).isEqualTo(Route.ERASE);
        assertThat(ApiGatewaySalesApiHandler.route(null, "PUT", "/contacts/a@b.co/stage")).isEqualTo(Route.STAGE);
        assertThat(ApiGatewaySalesApiHandler.route(null, "POST", "/contacts/a@b.co/sales-acceptance")).isEqualTo(Route.ACCEPT);
        assertThat(ApiGatewaySalesApiHandler.route(null, "POST", "/contacts/a@b.co/activities")).isEqualTo(Route.ACTIVITY);
        assertThat(ApiGatewaySalesApiHandler.route(null, "POST", "/imports")).isEqualTo(Route.IMPORT);
        assertThat(ApiGatewaySalesApiHandler.route(null, "GET", "/owners")).isEqualTo(Route.OWNERS);
        assertThat(ApiGatewaySalesApiHandler.route(null, "PUT", "/owners/ana")).isEqualTo(Route.OWNER);
        assertThat(ApiGatewaySalesApiHandler.route(null, "POST", "/contacts/a@b.co")).isNull();
        assertThat(ApiGatewaySalesApiHandler.route(null, "GET", "/contacts")).isNull();
        assertThat(ApiGatewaySalesApiHandler.route(null, "GET", "/contacts/a@b.co/stage/x")).isNull();
    }
}
