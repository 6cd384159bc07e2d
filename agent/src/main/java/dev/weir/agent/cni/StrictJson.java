package dev.weir.agent.cni;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Reads a part of the plugin's request as the plugin does (RFC 8259, strictly): one value and nothing after
 * it, no name twice in one object, at most 64 levels deep and {@link CniFrame#MAX_PART} long, UTF-8.
 */
final class StrictJson {
    static final int MAX_DEPTH = 64;
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxDocumentLength(CniFrame.MAX_PART).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {}

    /** The JSON in {@code bytes}; {@code what} names it in the CNI error (decode failure) when it is not strict JSON. */
    static JsonNode read(byte[] bytes, String what) {
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new CniError(CniError.DECODE_FAILURE, what + " is not strict JSON", oneLine(e.getOriginalMessage()) + where);
        } catch (IOException e) {
            throw new CniError(CniError.DECODE_FAILURE, what + " cannot be read", oneLine(e.getMessage()));
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ");
    }
}
