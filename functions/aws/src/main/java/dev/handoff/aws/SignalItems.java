package dev.handoff.aws;

import dev.handoff.core.FormType;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The explicit mapping between a {@link Signal} and its item: {@code pk}, {@code sk = E#<signal id>}, the type
 * {@code t}, the time {@code at} (epoch millis) and only the few fields the type needs, under short names.
 *
 * <p>Engagement signals get a {@code ttl} (epoch seconds) of occurredAt + the policy's engagement window + one
 * day, after which they no longer count and DynamoDB deletes them. {@code MeetingBooked},
 * {@code SalesActivityLogged} and {@code SalesAccepted} are facts that stay true whatever their age: no TTL.
 *
 * <p>Free-text fields are capped ({@link #MAX_ID_BYTES}, {@link #MAX_URL_BYTES}, in UTF-8 bytes) so that even the
 * largest possible signal item (a 254-character email, a 128-character event id) stays under 1 KB, one WRU
 * (954 bytes at most); a typical item takes 110 to 160 bytes. Only pathological values are ever cut, and a path
 * keeps its start, which is what page categories match on. Times are kept to the millisecond.
 */
public final class SignalItems {
    private SignalItems() {}

    /** S: the {@link SignalType#id()}. */
    public static final String TYPE = "t";
    /** N: occurredAt, epoch milliseconds. */
    public static final String AT = "at";
    public static final String PATH = "path";
    public static final String CAMPAIGN = "cmp";
    public static final String LINK = "lnk";
    public static final String ASSET_ID = "aid";
    public static final String ASSET_TYPE = "aty";
    /** BOOL. */
    public static final String GATED = "gtd";
    public static final String WEBINAR = "wbn";
    public static final String OWNER = "own";
    /** N: a booked meeting's start, epoch milliseconds. */
    public static final String STARTS_AT = "sat";
    public static final String ACTIVITY = "act";
    public static final String FORM_ID = "fid";
    /** S: the {@link FormType#id()}. */
    public static final String FORM_TYPE = "fty";

    /** Cap for ids, owners and types. */
    public static final int MAX_ID_BYTES = 128;
    /** Cap for a page path or a clicked link. */
    public static final int MAX_URL_BYTES = 400;

    private static final long DAY_SECONDS = 86_400L;

    /** Whether the signal stops counting after the engagement window (and so gets a TTL). */
    public static boolean expires(Signal signal) {
        return switch (signal) {
            case Signal.MeetingBooked m -> false;
            case Signal.SalesActivityLogged a -> false;
            case Signal.SalesAccepted a -> false;
            default -> true;
        };
    }

    /** Epoch seconds at which the signal's item may be deleted, or null when it must stay. */
    public static Long ttlOf(Signal signal, int engagementWindowDays) {
        if (!expires(signal)) return null;
        return signal.occurredAt().getEpochSecond() + (engagementWindowDays + 1L) * DAY_SECONDS;
    }

    /** The whole item for {@code signal} in partition {@code pk} ({@code C#...} or {@code V#...}). */
    public static Map<String, AttributeValue> toItem(String pk, Signal signal, int engagementWindowDays) {
        Map<String, AttributeValue> item = fields(signal);
        item.put(ContactTable.PK, s(pk));
        item.put(ContactTable.SK, s(ContactTable.signalKey(signal.id())));
        Long ttl = ttlOf(signal, engagementWindowDays);
        if (ttl != null) item.put(ContactTable.TTL, n(ttl));
        return item;
    }

    /** The whole log item for {@code signal} in partition {@code pk} (see {@link ContactTable#logKey}). */
    public static Map<String, AttributeValue> toLogItem(String pk, Signal signal, int engagementWindowDays) {
        Map<String, AttributeValue> item = fields(signal);
        item.put(ContactTable.PK, s(pk));
        item.put(ContactTable.SK, s(ContactTable.logKey(pk, signal.occurredAt().toEpochMilli(), signal.id())));
        Long ttl = ttlOf(signal, engagementWindowDays);
        if (ttl != null) item.put(ContactTable.TTL, n(ttl));
        return item;
    }

    /** The signal a log item holds. */
    public static Signal fromLogItem(Map<String, AttributeValue> item) {
        return fromFields(ContactTable.logSignalIdOf(str(item, ContactTable.SK)), item);
    }

    /** The signal an {@code E#} item holds. */
    public static Signal fromItem(Map<String, AttributeValue> item) {
        return fromFields(ContactTable.signalIdOf(str(item, ContactTable.SK)), item);
    }

    /** The signal's own attributes: its type {@code t}, time {@code at} and the few fields the type needs. */
    public static Map<String, AttributeValue> fields(Signal signal) {
        Map<String, AttributeValue> item = new HashMap<>(12);
        item.put(TYPE, s(signal.type().id()));
        item.put(AT, n(signal.occurredAt().toEpochMilli()));
        switch (signal) {
            case Signal.PageViewed p -> put(item, PATH, p.path(), MAX_URL_BYTES);
            case Signal.SessionStarted x -> {}
            case Signal.EmailOpened e -> put(item, CAMPAIGN, e.campaignId(), MAX_ID_BYTES);
            case Signal.EmailClicked e -> {
                put(item, CAMPAIGN, e.campaignId(), MAX_ID_BYTES);
                put(item, LINK, e.link(), MAX_URL_BYTES);
            }
            case Signal.ContentDownloaded c -> {
                put(item, ASSET_ID, c.assetId(), MAX_ID_BYTES);
                put(item, ASSET_TYPE, c.assetType(), MAX_ID_BYTES);
                item.put(GATED, AttributeValue.fromBool(c.gated()));
            }
            case Signal.WebinarAttended w -> put(item, WEBINAR, w.webinarId(), MAX_ID_BYTES);
            case Signal.MeetingBooked m -> {
                put(item, OWNER, m.owner(), MAX_ID_BYTES);
                if (m.startsAt() != null) item.put(STARTS_AT, n(m.startsAt().toEpochMilli()));
            }
            case Signal.SalesActivityLogged a -> {
                put(item, ACTIVITY, a.activityType(), MAX_ID_BYTES);
                put(item, OWNER, a.owner(), MAX_ID_BYTES);
            }
            case Signal.SalesAccepted a -> put(item, OWNER, a.owner(), MAX_ID_BYTES);
            case Signal.FormSubmitted f -> {
                put(item, FORM_ID, f.formId(), MAX_ID_BYTES);
                item.put(FORM_TYPE, s(f.formType().id()));
            }
        }
        return item;
    }

    /** The signal with this id whose attributes {@link #fields} wrote. */
    public static Signal fromFields(String id, Map<String, AttributeValue> item) {
        String typeId = str(item, TYPE);
        SignalType type = SignalType.fromId(typeId)
                .orElseThrow(() -> new IllegalStateException("a signal item of unknown type " + typeId));
        Instant at = instant(item, AT);
        if (at == null) throw new IllegalStateException("a signal item without " + AT);
        return switch (type) {
            case PAGE_VIEWED -> new Signal.PageViewed(id, at, orEmpty(str(item, PATH)));
            case SESSION_STARTED -> new Signal.SessionStarted(id, at);
            case EMAIL_OPENED -> new Signal.EmailOpened(id, at, str(item, CAMPAIGN));
            case EMAIL_CLICKED -> new Signal.EmailClicked(id, at, str(item, CAMPAIGN), str(item, LINK));
            case CONTENT_DOWNLOADED -> new Signal.ContentDownloaded(id, at, str(item, ASSET_ID), str(item, ASSET_TYPE),
                    Boolean.TRUE.equals(bool(item, GATED)));
            case WEBINAR_ATTENDED -> new Signal.WebinarAttended(id, at, str(item, WEBINAR));
            case MEETING_BOOKED -> new Signal.MeetingBooked(id, at, str(item, OWNER), instant(item, STARTS_AT));
            case SALES_ACTIVITY_LOGGED -> new Signal.SalesActivityLogged(id, at, str(item, ACTIVITY), str(item, OWNER));
            case SALES_ACCEPTED -> new Signal.SalesAccepted(id, at, str(item, OWNER));
            case FORM_SUBMITTED -> {
                String formTypeId = str(item, FORM_TYPE);
                FormType formType = FormType.fromId(formTypeId)
                        .orElseThrow(() -> new IllegalStateException("a form signal item of unknown form type " + formTypeId));
                yield new Signal.FormSubmitted(id, at, orEmpty(str(item, FORM_ID)), formType);
            }
        };
    }

    /** {@code value} cut to at most {@code maxBytes} UTF-8 bytes, never inside a character. */
    public static String capped(String value, int maxBytes) {
        if (value == null || value.length() * 3 <= maxBytes) return value;
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) return value;
        int bytes = 0;
        int i = 0;
        while (i < value.length()) {
            int cp = value.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > maxBytes) break;
            bytes += len;
            i += Character.charCount(cp);
        }
        return value.substring(0, i);
    }

    private static void put(Map<String, AttributeValue> item, String name, String value, int maxBytes) {
        if (value != null) item.put(name, s(capped(value, maxBytes)));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static Boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.bool();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Instant.ofEpochMilli(Long.parseLong(v.n()));
    }
}
