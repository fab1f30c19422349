package dev.handoff.functions.hubspot;

import dev.handoff.aws.DynamoDbHubSpotLedger;
import dev.handoff.core.policy.Routing;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Hands one SQL to HubSpot, exactly once per alert (PRODUCT §3): the contact's lifecycle stage (update, or create),
 * then one deal associated with it. Each step is recorded on the alert when done, so a retry does only what is
 * left; the deal carries the alert id in a unique property, so a crash between creating it and recording it is
 * mended by finding it (and a create that races another answers 409 and finds it too). A lease on the alert keeps
 * two deliveries of the same message from working on it at once.
 */
public final class HubSpotSync {

    /** The pipeline and deal stage of the deals made (stack parameters). */
    public record Settings(String pipeline, String dealStage) {
        public Settings {
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(dealStage, "dealStage");
        }
    }

    public enum Result { SYNCED, ALREADY_SYNCED, GONE, BUSY }

    private final HubSpotClient hubspot;
    private final DynamoDbHubSpotLedger ledger;
    private final Routing routing;
    private final Settings settings;

    public HubSpotSync(HubSpotClient hubspot, DynamoDbHubSpotLedger ledger, Routing routing, Settings settings) {
        this.hubspot = hubspot;
        this.ledger = ledger;
        this.routing = routing;
        this.settings = settings;
    }

    /**
     * @param holder who works on the alert now (the delivery), for the lease
     * @param deadline when this attempt must stop waiting for HubSpot
     */
    public Result sync(QualifiedEvent e, String holder, Instant deadline) {
        Optional<DynamoDbHubSpotLedger.Progress> progress = ledger.progress(e.email(), e.alertId());
        if (progress.isEmpty()) return Result.GONE;
        if (progress.get().done()) return Result.ALREADY_SYNCED;
        Duration lease = Duration.between(Instant.now(), deadline).plusSeconds(30);
        if (!ledger.lease(e.email(), e.alertId(), holder, lease)) return Result.BUSY;
        // Read again under the lease: another delivery may have finished a step in between.
        DynamoDbHubSpotLedger.Progress p = ledger.progress(e.email(), e.alertId()).orElse(null);
        if (p == null) return Result.GONE;
        if (p.done()) return Result.ALREADY_SYNCED;

        String contactId = p.contactId();
        if (contactId == null) {
            contactId = hubspot.upsertContact(e.email(), contactProperties(e), deadline);
            ledger.recordContact(e.email(), e.alertId(), contactId);
        }
        String id = contactId;
        String dealId = hubspot.dealOfAlert(e.alertId(), deadline)
                .or(() -> hubspot.createDeal(dealProperties(e), id, deadline))
                .or(() -> hubspot.dealOfAlert(e.alertId(), deadline))
                .orElseThrow(() -> new HubSpotUnavailableException("create deal: HubSpot answered 409 but has no deal for the alert yet"));
        ledger.recordDeal(e.email(), e.alertId(), dealId);
        return Result.SYNCED;
    }

    /** The lifecycle stage, what Handoff knows of the contact, and its HubSpot owner when routing maps one. */
    Map<String, String> contactProperties(QualifiedEvent e) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("lifecyclestage", "salesqualifiedlead");
        putIfKnown(p, "firstname", e.firstname());
        putIfKnown(p, "lastname", e.lastname());
        putIfKnown(p, "company", e.company());
        putIfKnown(p, "jobtitle", e.jobtitle());
        putIfKnown(p, "hubspot_owner_id", hubspotOwner(e));
        return p;
    }

    Map<String, String> dealProperties(QualifiedEvent e) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("dealname", dealName(e));
        p.put("pipeline", settings.pipeline());
        p.put("dealstage", settings.dealStage());
        if (e.amount() != null) p.put("amount", Long.toString(e.amount()));
        putIfKnown(p, "hubspot_owner_id", hubspotOwner(e));
        p.put(HubSpotClient.ALERT_ID_PROPERTY, e.alertId());
        return p;
    }

    private String hubspotOwner(QualifiedEvent e) {
        return routing.hubspotOwnerId(e.owner()).orElse(null);
    }

    /** "Acme - sales qualified lead", else the person's name, else the email. */
    static String dealName(QualifiedEvent e) {
        String who = e.company();
        if (who == null) {
            String name = ((e.firstname() == null ? "" : e.firstname()) + " " + (e.lastname() == null ? "" : e.lastname())).strip();
            who = name.isEmpty() ? e.email() : name;
        }
        return who + " - sales qualified lead";
    }

    private static void putIfKnown(Map<String, String> p, String k, String v) {
        if (v != null) p.put(k, v);
    }
}
