package dev.handoff.aws.dynamodb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** An item's size as DynamoDB bills it (the rules of the developer guide, "Item sizes and formats"). */
final class ItemSize {
    private ItemSize() {}

    static int of(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> a : item.entrySet()) size += utf8(a.getKey()) + of(a.getValue());
        return size;
    }

    private static int of(AttributeValue v) {
        if (v.s() != null) return utf8(v.s());
        if (v.n() != null) return number(v.n());
        if (v.b() != null) return v.b().asByteArray().length;
        if (v.bool() != null || v.nul() != null) return 1;
        if (v.hasSs()) return v.ss().stream().mapToInt(ItemSize::utf8).sum();
        if (v.hasNs()) return v.ns().stream().mapToInt(ItemSize::number).sum();
        if (v.hasL()) return 3 + v.l().stream().mapToInt(e -> 1 + of(e)).sum();
        if (v.hasM()) return 3 + v.m().entrySet().stream().mapToInt(e -> 1 + utf8(e.getKey()) + of(e.getValue())).sum();
        return 0;
    }

    private static int number(String n) {
        String digits = new BigDecimal(n).stripTrailingZeros().unscaledValue().abs().toString();
        return (digits.length() + 1) / 2 + 1;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
