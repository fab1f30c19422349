package dev.handoff.aws;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.handoff.core.app.FormIntake;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API Gateway HTTP API responses with a JSON body ({@code Content-Type: application/json}); a 4xx is
 * {@code {"errors": [{"field": ..., "message": ...}]}}.
 */
public final class HttpApiResponses {
    private HttpApiResponses() {}

    /** One entry of {@code errors}: {@code {"field": ..., "message": ...}}. */
    public static Map<String, Object> fieldError(String field, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("field", field);
        e.put("message", message);
        return e;
    }

    /** {@code status} with one field error. */
    public static APIGatewayV2HTTPResponse error(int status, String field, String message) {
        List<Object> list = new ArrayList<>();
        list.add(fieldError(field, message));
        return errors(status, list);
    }

    /** {@code status} with these field errors. */
    public static APIGatewayV2HTTPResponse errors(int status, List<Object> list) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errors", list);
        return respond(status, body);
    }

    /** 400 with the field errors a parser found ({@link FormIntake}, {@link dev.handoff.core.app.SalesRequests}). */
    public static APIGatewayV2HTTPResponse invalid(List<FormIntake.FieldError> fieldErrors) {
        List<Object> list = new ArrayList<>();
        for (FormIntake.FieldError e : fieldErrors) list.add(fieldError(e.field(), e.message()));
        return errors(400, list);
    }

    /** 400 on {@code body} for text jackson-jr could not read, with the line and column when it gave them. */
    public static APIGatewayV2HTTPResponse invalidJson(IOException e) {
        JsonLocation at = e instanceof JsonProcessingException j ? j.getLocation() : null;
        return error(400, "body", "is not valid JSON" + (at == null ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }

    /** {@code status} with this body as JSON (null values written). */
    public static APIGatewayV2HTTPResponse respond(int status, Map<String, Object> body) {
        String json;
        try {
            json = Json.JR.asString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a response body", e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(json)
                .build();
    }
}
