package dev.handoff.functions.slack;

import dev.handoff.aws.AlertJson;
import dev.handoff.core.Contribution;
import dev.handoff.core.app.SqlAlert;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The samples in the repository's events/ directory, and alerts made from them. */
final class Samples {
    private Samples() {}

    /** The repository's top: set by the build ({@code handoff.repo.root}), else found above the working directory. */
    static Path repoRoot() {
        String configured = System.getProperty("handoff.repo.root");
        if (configured != null && !configured.isBlank()) return Path.of(configured).toAbsolutePath().normalize();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("events")) && Files.isRegularFile(dir.resolve("mvnw"))) return dir;
        }
        throw new IllegalStateException("events/ not found above " + Path.of("").toAbsolutePath());
    }

    static Path event(String name) {
        return repoRoot().resolve("events").resolve(name);
    }

    static String read(String name) {
        try {
            return Files.readString(event(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** events/alert-message.json: the {@code default} member of the SNS message, as the alerts function sends it. */
    static String alertMessage() {
        return read("alert-message.json");
    }

    static SqlAlert alert() {
        return AlertJson.parse(alertMessage());
    }

    /** The sample alert with contact fields that try to ping, link and forge lines. */
    static SqlAlert hostile() {
        SqlAlert a = alert();
        return new SqlAlert(a.alertId(), a.occurredAt(), a.policyVersion(),
                new SqlAlert.ContactCard("mallory@example.com", "<!channel> @here", "<@U123>\n*Reason*\nmanual",
                        "AT&T <https://x|y>", "@channel lead & <!subteam^S42> <#C99> @everyone"),
                a.from(), a.to(), a.reasonCode(), a.reasonDetail(), a.fit(), a.engagement(),
                List.of(new SqlAlert.TopSignal("pricing-page-views", Contribution.Kind.ENGAGEMENT, 30),
                        new SqlAlert.TopSignal("rule<with>&", Contribution.Kind.FIT, -5)),
                a.owner(), a.dealAmount());
    }
}
