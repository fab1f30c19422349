package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for the SNS alerts topic: each {@code Publish} the alert function makes is appended to the alerts
 * file as one JSON line (the {@code default} member of the message) and printed.
 */
final class AlertsTopic {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    AlertsTopic(Path file) throws IOException {
        this.file = file.toAbsolutePath();
        if (this.file.getParent() != null) Files.createDirectories(this.file.getParent());
    }

    synchronized LocalHttpServer.Response publish(String form) throws IOException {
        Map<String, String> params = new HashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        String message = params.getOrDefault("Message", "");
        String line = message;
        if ("json".equals(params.get("MessageStructure"))) {
            JsonNode structured = JSON.readTree(message);
            line = structured.path("default").asText();
        }
        // One line per alert, whatever the message's own formatting.
        line = JSON.readTree(line).toString();
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("SQL alert: " + line);
        String messageId = UUID.randomUUID().toString();
        String xml = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>"
                + messageId + "</MessageId></PublishResult><ResponseMetadata><RequestId>" + UUID.randomUUID()
                + "</RequestId></ResponseMetadata></PublishResponse>";
        return new LocalHttpServer.Response(200, "text/xml", xml);
    }
}
