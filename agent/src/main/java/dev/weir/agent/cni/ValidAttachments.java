package dev.weir.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;

/**
 * The attachments a GC must keep: the runtime's {@code cni.dev/valid-attachments} (CNI 1.1), a list of
 * {@code {"containerID": ..., "ifname": ...}}. GC releases everything not in it, so a list that is missing or
 * malformed is refused rather than read as "nothing is valid".
 */
record ValidAttachments(Set<Attachment> attachments) {
    record Attachment(String containerId, String ifname) {}

    static final String FIELD = "cni.dev/valid-attachments";

    static ValidAttachments of(ObjectNode config) {
        JsonNode list = config.get(FIELD);
        if (list == null) throw invalid("it is missing");
        if (!list.isArray()) throw invalid("it is " + list.getNodeType().name().toLowerCase() + ", not a list");
        Set<Attachment> attachments = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            if (!entry.isObject()) throw invalid("entry " + i + " is not an object");
            JsonNode containerId = entry.get("containerID"), ifname = entry.get("ifname");
            if (containerId == null || !containerId.isTextual()) throw invalid("entry " + i + " has no string containerID");
            if (ifname == null || !ifname.isTextual()) throw invalid("entry " + i + " has no string ifname");
            attachments.add(new Attachment(containerId.asText(), ifname.asText()));
        }
        return new ValidAttachments(Set.copyOf(attachments));
    }

    boolean contains(String containerId, String ifname) {
        return attachments.contains(new Attachment(containerId, ifname));
    }

    private static CniError invalid(String why) {
        return new CniError(CniError.INVALID_CONFIG, "GC needs " + FIELD + ", a list of {containerID, ifname}: " + why);
    }
}
