package dev.handoff.functions.sales;

import dev.handoff.core.routing.OwnerDirectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /owners} and {@code PUT /owners/{id}} answers (PRODUCT §2.3): one row per owner and pool. */
final class OwnersJson {
    private OwnersJson() {}

    static Map<String, Object> owners(List<OwnerDirectory.OwnerStatus> rows) {
        List<Object> out = new ArrayList<>();
        for (OwnerDirectory.OwnerStatus o : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", o.id());
            row.put("pool", o.pool());
            row.put("weight", o.weight());
            row.put("available", o.available());
            row.put("assigned", o.assigned());
            out.add(row);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("owners", out);
        return root;
    }
}
