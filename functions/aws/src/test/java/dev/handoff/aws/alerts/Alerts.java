package dev.handoff.aws.alerts;

import dev.handoff.core.Contribution;
import dev.handoff.core.Stage;
import dev.handoff.core.app.SqlAlert;
import java.time.Instant;
import java.util.List;

/** Sample alerts for the tests. */
final class Alerts {
    private Alerts() {}

    static final Instant AT = Instant.parse("2025-03-04T09:30:00Z");

    /** Every field known. */
    static SqlAlert full() {
        return new SqlAlert(
                "alert-7f3a",
                AT,
                "score-threshold@3",
                new SqlAlert.ContactCard("ana@acme.com", "Ana", "Silva", "Acme", "VP Engineering"),
                Stage.MARKETING_QUALIFIED_LEAD,
                Stage.SALES_QUALIFIED_LEAD,
                "fast-track",
                "demo-request form from an ICP fit contact",
                85,
                35,
                List.of(new SqlAlert.TopSignal("pricing-page-views", Contribution.Kind.ENGAGEMENT, 30),
                        new SqlAlert.TopSignal("senior-title", Contribution.Kind.FIT, 25)),
                "sam.seller",
                50_000L);
    }

    /** Only what an import may know: no name, company, job title, previous stage, owner or amount. */
    static SqlAlert sparse() {
        return new SqlAlert(
                "alert-0001",
                AT,
                "score-threshold@3",
                new SqlAlert.ContactCard("bo@globex.com", null, null, null, null),
                null,
                Stage.SALES_QUALIFIED_LEAD,
                "import",
                null,
                10,
                0,
                List.of(),
                null,
                null);
    }
}
